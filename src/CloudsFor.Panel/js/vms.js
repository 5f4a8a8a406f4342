// The VM list: filters by name, tag and status, pages of 20, and updates by itself.
import { get, query } from './api.js';
import { h, clear, banner, statusBadge, ipv4, link, field } from './ui.js';
import { watch } from './live.js';

const PER_PAGE = 20;

export function vmList(main, { navigate }) {
  document.title = 'VMs · CloudsFor';
  const params = new URLSearchParams(location.search);
  const state = { name: params.get('name') || '', tag: params.get('tag') || '', status: params.get('status') || '', page: Number(params.get('page')) || 1 };

  const name = h('input', { name: 'name', type: 'search', value: state.name, placeholder: 'exact name' });
  const tag = h('input', { name: 'tag', type: 'search', value: state.tag, placeholder: 'tag' });
  const status = h('select', { name: 'status' }, ['', 'new', 'active', 'off', 'errored'].map(s =>
    h('option', { value: s, selected: s === state.status }, s || 'any')));
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter VMs' },
    field('Name', name), field('Tag', tag), field('Status', status), h('button', { type: 'submit', class: 'secondary' }, 'Filter'));
  filters.addEventListener('submit', e => {
    e.preventDefault();
    Object.assign(state, { name: name.value.trim(), tag: tag.value.trim(), status: status.value, page: 1 });
    sync();
  });
  status.addEventListener('change', () => filters.requestSubmit());

  const results = h('div', { class: 'results', 'aria-live': 'polite', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading VMs…'));
  clear(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'VMs'), h('a', { href: '/vms/new', 'data-link': true, class: 'button' }, 'Create VM')),
    filters, results);

  function sync() {
    const q = { name: state.name, tag: state.tag, status: state.status, page: state.page > 1 ? state.page : '' };
    history.replaceState(null, '', '/vms' + query(q));
    load();
  }

  let loading = 0;
  async function load() {
    const mine = ++loading;
    try {
      const data = await get('/vms' + query({ page: state.page, per_page: PER_PAGE, name: state.name, tag_name: state.tag, status: state.status }));
      if (mine !== loading) return;
      show(data);
    } catch (error) {
      if (mine === loading) clear(results, banner(error));
    }
    results.setAttribute('aria-busy', 'false');
  }

  function show(data) {
    const total = data.meta.total;
    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    if (data.vms.length === 0) {
      clear(results, h('p', { class: 'empty' }, total === 0 && !state.name && !state.tag && !state.status
        ? ['You have no VMs yet. ', link('/vms/new', 'Create your first VM.')]
        : 'No VM matches these filters.'));
      return;
    }
    clear(results,
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'VMs' }, h('table', { class: 'vms' },
        h('caption', { class: 'visually-hidden' }, `VMs, page ${state.page} of ${pages}`),
        h('thead', {}, h('tr', {}, ['Name', 'Status', 'IPv4', 'Region', 'Size', 'Tags'].map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, data.vms.map(vm => h('tr', { 'data-vm': vm.id },
          h('th', { scope: 'row' }, link(`/vms/${vm.id}`, vm.name)),
          h('td', {}, statusBadge(vm.status), vm.locked ? h('span', { class: 'muted small' }, ' busy') : null),
          h('td', { class: 'mono' }, ipv4(vm)),
          h('td', {}, vm.region?.slug ?? '—'),
          h('td', {}, vm.size_slug),
          h('td', {}, vm.tags.length ? vm.tags.map(t => h('span', { class: 'tag' }, t)) : '—')))))),
      h('nav', { class: 'pager', 'aria-label': 'Pages' },
        h('button', { type: 'button', class: 'secondary', disabled: state.page <= 1, onclick: () => { state.page--; sync(); } }, 'Previous'),
        h('span', {}, `Page ${state.page} of ${pages} · ${total} VM${total === 1 ? '' : 's'}`),
        h('button', { type: 'button', class: 'secondary', disabled: state.page >= pages, onclick: () => { state.page++; sync(); } }, 'Next')));
  }

  load();
  return watch(['vm'], load);
}
