// The account's actions, newest first and live. The API lists them oldest first (GET /actions has no sort), so a
// panel page is cut from the end of the API's list: page 1 here is the API's last 50, reversed.
import { get, query } from './api.js';
import { h, clear, banner, statusBadge, time, link } from './ui.js';
import { watch } from './live.js';

const PER_PAGE = 50;

export function actionsPage(main) {
  document.title = 'Actions · CloudsFor';
  const results = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
  clear(main, h('div', { class: 'page-head' }, h('h1', {}, 'Actions')),
    h('p', { class: 'muted' }, 'Everything your VMs went through, newest first; updates live.'), results);
  let page = 1;
  let latest = 0; // a slow answer must not overwrite a newer one (live updates can overlap)

  async function load() {
    const asked = ++latest;
    try {
      const { items, total } = await newestFirst(page);
      if (asked !== latest) return;
      if (items.length === 0 && page > 1) { page = Math.max(1, Math.ceil(total / PER_PAGE)); return load(); }
      if (items.length === 0) return clear(results, h('p', { class: 'empty' }, 'No actions yet.'));
      const pages = Math.max(1, Math.ceil(total / PER_PAGE));
      clear(results, table(items), pages > 1 ? h('nav', { class: 'pager', 'aria-label': 'Pages' },
        h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onclick: () => { page--; load(); } }, 'Newer'),
        h('span', {}, `Page ${page} of ${pages}`),
        h('button', { type: 'button', class: 'secondary', disabled: page >= pages, onclick: () => { page++; load(); } }, 'Older')) : null);
    } catch (error) {
      if (asked === latest) clear(results, banner(error));
    }
  }
  load();
  return watch(['action'], load);
}

/** The panel's page `page` (1 = newest) of the account's actions, newest first, and how many there are in all. */
async function newestFirst(page) {
  const ask = p => get('/actions' + query({ page: p, per_page: PER_PAGE }));
  const first = await ask(1);
  const total = first.meta?.total ?? first.actions.length;
  // The slice [start, end) of the API's oldest-first list spans at most two of its pages; actions are only ever
  // added at its end, so the slice stays the same even if more arrive between the requests.
  const end = Math.max(0, total - (page - 1) * PER_PAGE);
  const start = Math.max(0, end - PER_PAGE);
  const from = Math.floor(start / PER_PAGE) + 1;
  const to = Math.max(from, Math.ceil(end / PER_PAGE));
  const answers = [];
  for (let p = from; p <= to; p++) answers.push(p === 1 ? first : await ask(p));
  const offset = (from - 1) * PER_PAGE;
  const items = answers.flatMap(a => a.actions).slice(start - offset, end - offset).reverse();
  return { items, total };
}

function table(items) {
  const columns = [['Action', a => a.type], ['Status', a => statusBadge(a.status)],
    ['Resource', a => a.resource_type === 'vm' ? link(`/vms/${a.resource_id}`, a.resource_id.slice(-8)) : a.resource_id.slice(-8)],
    ['Region', a => a.region], ['Started', a => time(a.started_at)], ['Completed', a => time(a.completed_at)], ['Error', a => a.error || '']];
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Actions' }, h('table', {},
    h('thead', {}, h('tr', {}, columns.map(([c]) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map(item => h('tr', {}, columns.map(([, cell]) => h('td', {}, cell(item))))))));
}
