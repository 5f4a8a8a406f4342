// Volumes: the list (filters by name, region and tag) with the create form, updated live; a volume's own page is in
// volume.js.
import { get, post, query } from './api.js';
import { h, clear, banner, field, showErrors, showBanner, clearErrors, statusBadge, link } from './ui.js';
import { watch } from './live.js';

const PER_PAGE = 20;

export function volumesPage(main, { navigate }) {
  document.title = 'Volumes · CloudsFor';
  const params = new URLSearchParams(location.search);
  const state = { name: params.get('name') || '', region: params.get('region') || '', tag: params.get('tag') || '', page: 1 };
  const regions = get('/regions').then(r => r.regions).catch(() => []);

  const name = h('input', { name: 'name', type: 'search', value: state.name, placeholder: 'exact name' });
  const region = h('select', { name: 'region' }, h('option', { value: '' }, 'any'));
  const tag = h('input', { name: 'tag', type: 'search', value: state.tag, placeholder: 'tag' });
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter volumes' },
    field('Name', name), field('Region', region), field('Tag', tag), h('button', { type: 'submit', class: 'secondary' }, 'Filter'));
  filters.addEventListener('submit', e => {
    e.preventDefault();
    Object.assign(state, { name: name.value.trim(), region: region.value, tag: tag.value.trim(), page: 1 });
    history.replaceState(null, '', '/volumes' + query({ name: state.name, region: state.region, tag: state.tag }));
    load();
  });
  region.addEventListener('change', () => filters.requestSubmit());
  regions.then(list => region.append(...list.map(r => h('option', { value: r.slug, selected: r.slug === state.region }, `${r.name} (${r.slug})`))));

  const results = h('div', { class: 'results', 'aria-live': 'polite', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading volumes…'));
  clear(main, h('div', { class: 'page-head' }, h('h1', {}, 'Volumes')),
    h('p', { class: 'muted' }, 'Block storage: a volume is a disk of its own that you attach to one VM of its region at a time.'),
    createForm(regions, volume => navigate(`/volumes/${volume.id}`)), h('h2', {}, 'Your volumes'), filters, results);

  let loading = 0;
  async function load() {
    const mine = ++loading;
    try {
      // The server may not filter volumes by tag yet: the tag is sent and also applied here, so either way the list is right.
      const [data, vms] = await Promise.all([
        get('/volumes' + query({ page: state.page, per_page: PER_PAGE, name: state.name, region: state.region, tag_name: state.tag })),
        vmNames()]);
      if (mine !== loading) return;
      show(data, vms);
    } catch (error) {
      if (mine === loading) clear(results, banner(error));
    }
    results.setAttribute('aria-busy', 'false');
  }

  function show(data, vms) {
    const volumes = state.tag ? data.volumes.filter(v => v.tags.includes(state.tag)) : data.volumes;
    const pages = Math.max(1, Math.ceil(data.meta.total / PER_PAGE));
    if (volumes.length === 0) {
      clear(results, h('p', { class: 'empty' }, state.name || state.region || state.tag ? 'No volume matches these filters.' : 'You have no volumes yet.'));
      return;
    }
    clear(results,
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Volumes' }, h('table', {},
        h('thead', {}, h('tr', {}, ['Name', 'Status', 'Size', 'Region', 'Attached to', 'File system', 'Tags'].map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, volumes.map(v => h('tr', { 'data-volume': v.id },
          h('th', { scope: 'row' }, link(`/volumes/${v.id}`, v.name)),
          h('td', {}, statusBadge(v.status)),
          h('td', {}, `${v.size_gigabytes} GiB`),
          h('td', {}, v.region_slug),
          h('td', {}, v.vm_ids.length ? v.vm_ids.map(id => link(`/vms/${id}`, vms.get(id) || id)) : '—'),
          h('td', {}, fsText(v)),
          h('td', {}, v.tags.length ? v.tags.map(t => h('span', { class: 'tag' }, t)) : '—')))))),
      pages > 1 ? h('nav', { class: 'pager', 'aria-label': 'Pages' },
        h('button', { type: 'button', class: 'secondary', disabled: state.page <= 1, onclick: () => { state.page--; load(); } }, 'Previous'),
        h('span', {}, `Page ${state.page} of ${pages}`),
        h('button', { type: 'button', class: 'secondary', disabled: state.page >= pages, onclick: () => { state.page++; load(); } }, 'Next')) : null);
  }

  load();
  return watch(['volume', 'vm'], load);
}

export function fsText(v) {
  if (v.filesystem_type === 'none' || !v.filesystem_type) return 'none';
  return v.filesystem_label ? `${v.filesystem_type}, label ${v.filesystem_label}` : v.filesystem_type;
}

/** The account's VMs by id, for showing names where the API gives ids. */
export async function vmNames() {
  const data = await get('/vms?per_page=200');
  return new Map(data.vms.map(vm => [vm.id, vm.name]));
}

/** Shows an API failure on a form, with errors about the account's limits in the banner rather than under a field. */
export function showVolumeErrors(form, error) {
  const limits = (error.fields || []).filter(f => /_limit\b/.test(f.message));
  if (limits.length === 0) return showErrors(form, error);
  const said = { message: limits.map(f => f.message).join(' '), requestId: error.requestId };
  const rest = error.fields.filter(f => !limits.includes(f));
  showErrors(form, { ...said, fields: rest });
  if (rest.length) showBanner(form.querySelector('.banner-slot'), said);
}

function createForm(regions, created) {
  const name = h('input', { name: 'name', required: true, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' });
  const size = h('input', { name: 'size_gigabytes', type: 'number', min: 1, max: 16384, step: 1, value: 10, inputmode: 'numeric', required: true });
  const region = h('select', { name: 'region', required: true });
  regions.then(list => region.append(...list.map(r => h('option', { value: r.slug, disabled: !r.available }, `${r.name} (${r.slug})`))));
  const fsType = h('select', { name: 'filesystem_type' },
    [['none', 'none (unformatted)'], ['ext4', 'ext4'], ['xfs', 'xfs']].map(([value, label]) => h('option', { value }, label)));
  const label = h('input', { name: 'filesystem_label', autocomplete: 'off', spellcheck: 'false', maxlength: 12, disabled: true });
  fsType.addEventListener('change', () => { label.disabled = fsType.value === 'none'; if (label.disabled) label.value = ''; });
  const tags = h('input', { name: 'tags', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' });
  const description = h('input', { name: 'description', autocomplete: 'off' });
  const submit = h('button', { type: 'submit' }, 'Create volume');
  const form = h('form', { class: 'card create', novalidate: true, 'aria-labelledby': 'new-volume-h' },
    h('h2', { id: 'new-volume-h' }, 'New volume'), h('div', { class: 'banner-slot' }),
    h('div', { class: 'row' },
      field('Name', name, 'A lowercase letter, then up to 63 of a-z, 0-9 and -; unique in its region.'),
      field('Size (GiB)', size, '1 to 16384. Volumes can grow later, never shrink.')),
    h('div', { class: 'row' }, field('Region', region, 'It attaches only to VMs of this region.'), field('Description', description, 'Optional.')),
    h('div', { class: 'row' },
      field('File system', fsType, 'ext4 or xfs: formatted for you. none: a blank disk.'),
      field('File system label', label, 'Optional, with a file system: up to 12 of letters, digits, _ . -')),
    field('Tags', tags, 'Optional, separated by spaces or commas.'),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    const body = {
      name: name.value.trim(), size_gigabytes: size.value === '' ? null : Number(size.value), region: region.value,
      filesystem_type: fsType.value, tags: tags.value.split(/[\s,]+/).filter(Boolean),
    };
    if (description.value.trim()) body.description = description.value.trim();
    if (label.value.trim()) body.filesystem_label = label.value.trim();
    submit.disabled = true;
    try {
      created((await post('/volumes', body)).volume);
    } catch (error) {
      showVolumeErrors(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
