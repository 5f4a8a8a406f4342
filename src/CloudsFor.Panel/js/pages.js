// The list page the other pages share, and the account page (actions, tokens, images, domains and users have modules
// of their own).
import { get, query } from './api.js';
import { h, clear, banner, mib } from './ui.js';

/** A page that lists one collection: columns are [heading, cell(item)], `before` goes above the table; returns a reload function. */
export function listPage(main, { title, path, root, columns, empty, intro, before }) {
  document.title = `${title} · CloudsFor`;
  const results = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
  clear(main, h('div', { class: 'page-head' }, h('h1', {}, title)), intro ? h('p', { class: 'muted' }, intro) : null, before, results);
  let page = 1;
  async function load() {
    try {
      const data = await get(path + (path.includes('?') ? '&' : '?') + query({ page, per_page: 50 }).slice(1));
      const items = data[root];
      const total = data.meta?.total ?? items.length;
      if (items.length === 0) return clear(results, h('p', { class: 'empty' }, empty));
      const pages = Math.max(1, Math.ceil(total / 50));
      clear(results, h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': title }, h('table', {},
        h('thead', {}, h('tr', {}, columns.map(([c]) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, items.map(item => h('tr', {}, columns.map(([, cell]) => h('td', {}, cell(item)))))))),
      pages > 1 ? h('nav', { class: 'pager', 'aria-label': 'Pages' },
        h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onclick: () => { page--; load(); } }, 'Previous'),
        h('span', {}, `Page ${page} of ${pages}`),
        h('button', { type: 'button', class: 'secondary', disabled: page >= pages, onclick: () => { page++; load(); } }, 'Next')) : null);
    } catch (error) {
      clear(results, banner(error));
    }
  }
  load();
  return load;
}

export function accountPage(main) {
  document.title = 'Account · CloudsFor';
  clear(main, h('h1', {}, 'Account'), h('p', { class: 'muted' }, 'Loading…'));
  get('/account').then(({ account: a }) => clear(main, h('h1', {}, 'Account'), h('dl', { class: 'details' },
    h('dt', {}, 'Username'), h('dd', {}, a.username), h('dt', {}, 'Email'), h('dd', {}, a.email),
    h('dt', {}, 'Status'), h('dd', {}, a.status), h('dt', {}, 'VMs'), h('dd', {}, `${a.usage.vms} of ${a.vm_limit}`),
    h('dt', {}, 'In use'), h('dd', {}, `${a.usage.vcpus} vCPU, ${mib(a.usage.memory)}, ${a.usage.disk} GiB disk`),
    h('dt', {}, 'Volumes'), h('dd', {}, `${a.usage.volumes} of ${a.volume_limit}`),
    h('dt', {}, 'Volume space'), h('dd', {}, `${a.usage.volume_gigabytes} of ${a.volume_gigabytes_limit} GiB`))))
    .catch(error => clear(main, h('h1', {}, 'Account'), banner(error)));
}
