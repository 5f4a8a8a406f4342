// Tags: the list with counts per resource type, create, delete; a tag's page lists what carries it (with links) and
// tags or untags a resource of any type.
import { get, post, del, api, query } from './api.js';
import { h, clear, banner, field, showErrors, showBanner, clearErrors, confirmDialog, link } from './ui.js';
import { listPage } from './pages.js';
import { watch } from './live.js';

const TYPES = [
  // [resource_type, heading, list path, list root, the resource's id, its label, its page]
  ['vm', 'VMs', '/vms', 'vms', r => r.id, r => r.name, r => `/vms/${r.id}`],
  ['volume', 'Volumes', '/volumes', 'volumes', r => r.id, r => `${r.name} (${r.region_slug})`, r => `/volumes/${r.id}`],
  ['image', 'Images', '/images', 'images', r => r.id, r => r.name, () => '/images'],
  ['domain', 'Domains', '/domains', 'domains', r => r.name, r => r.name, r => `/domains/${r.name}`],
];
const COUNTED = [['vms', 'VMs'], ['volumes', 'Volumes'], ['images', 'Images'], ['domains', 'Domains']];

export function tagsPage(main) {
  const form = createForm(() => reload());
  const reload = listPage(main, {
    title: 'Tags', path: '/tags', root: 'tags', empty: 'No tags yet.',
    intro: 'A tag is a label for VMs, volumes, images and domains: lists filter by it, and VM actions can run on every VM with a tag.',
    before: [form, h('h2', {}, 'Your tags')],
    columns: [['Name', t => link(`/tags/${encodeURIComponent(t.name)}`, t.name)],
      ...COUNTED.map(([key, label]) => [label, t => String(t.resources[key]?.count ?? 0)]),
      ['Total', t => String(t.resources.count)],
      ['Manage', t => h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${t.name}`, onclick: () => remove(t) }, 'Delete…')]],
  });

  function remove(tag) {
    const n = tag.resources.count;
    confirmDialog('Delete tag', ['Delete the tag ', h('strong', {}, tag.name), n ? `? It is taken off the ${n} resource${n === 1 ? '' : 's'} that carry it first.` : '?'],
      'Delete', async () => { await del(`/tags/${encodeURIComponent(tag.name)}`); reload(); });
  }

  return watch(['tag', 'vm', 'image', 'domain', 'volume'], reload);
}

function createForm(created) {
  const name = h('input', { name: 'name', required: true, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' });
  const submit = h('button', { type: 'submit' }, 'Create tag');
  const form = h('form', { class: 'card create', novalidate: true, 'aria-labelledby': 'new-tag-h' },
    h('h2', { id: 'new-tag-h' }, 'New tag'), h('div', { class: 'banner-slot' }),
    field('Name', name, 'Letters, digits, :, - and _, up to 255; case counts.'), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    submit.disabled = true;
    try {
      await post('/tags', { name: name.value.trim() });
      form.reset();
      created();
    } catch (error) {
      showErrors(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export function tagPage(main, { params, navigate }) {
  const name = decodeURIComponent(params[0]);
  const path = `/tags/${encodeURIComponent(name)}`;
  document.title = `Tag ${name} · CloudsFor`;
  const slot = h('div', { class: 'banner-slot' });
  const lists = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
  clear(main, h('p', { class: 'crumbs' }, link('/tags', '← Tags')),
    h('div', { class: 'page-head' }, h('h1', {}, 'Tag ', h('span', { class: 'tag tag-title' }, name)),
      h('button', { type: 'button', class: 'danger', onclick: () => remove() }, 'Delete tag…')),
    slot, tagForm(name, () => load()), lists);

  let gone = false;
  async function load() {
    if (gone) return;
    try {
      await get(path);
      const found = await Promise.all(TYPES.map(([type, , list, root]) =>
        get(list + query({ tag_name: name, per_page: 200 })).then(d => d[root])
          // The server may not filter this type by tag yet: keep what carries the tag.
          .then(items => items.filter(r => !Array.isArray(r.tags) || r.tags.includes(name)))
          .catch(error => ({ error, type }))));
      clear(lists, TYPES.map((t, i) => section(t, found[i])));
    } catch (error) {
      if (error.status === 404) {
        gone = true;
        clear(main, h('h1', {}, 'Tag not found'), h('p', {}, 'It does not exist, or it was deleted. ', link('/tags', 'Back to your tags.')));
      } else clear(lists, banner(error));
    }
  }

  function section([type, heading, , , idOf, labelOf, hrefOf], items) {
    const id = `tagged-${type}`;
    return h('section', { 'aria-labelledby': id }, h('h2', { id }, heading),
      items.error ? banner(items.error) : items.length === 0 ? h('p', { class: 'muted' }, `No ${type === 'vm' ? heading : heading.toLowerCase()} carry this tag.`) :
        h('ul', { class: 'tagged' }, items.map(r => h('li', {}, link(hrefOf(r), labelOf(r)),
          h('button', { type: 'button', class: 'secondary', 'aria-label': `Untag ${labelOf(r)}`, onclick: () => untag(type, idOf(r)) }, 'Untag')))));
  }

  async function untag(type, id) {
    slot.replaceChildren();
    try {
      await api('DELETE', `${path}/resources`, { resources: [{ resource_id: id, resource_type: type }] });
      load();
    } catch (error) {
      showBanner(slot, error);
    }
  }

  function remove() {
    confirmDialog('Delete tag', ['Delete the tag ', h('strong', {}, name), '? It is taken off everything that carries it first.'], 'Delete',
      async () => { await del(path); gone = true; navigate('/tags'); });
  }

  load();
  return watch(['tag', 'vm', 'image', 'domain', 'volume'], load);
}

/** Tags one resource: its type, then one of yours of that type. */
function tagForm(name, tagged) {
  const type = h('select', { name: 'resource_type' }, TYPES.map(([value, label]) => h('option', { value }, label.replace(/s$/, ''))));
  const resource = h('select', { name: 'resources', required: true });
  const submit = h('button', { type: 'submit' }, 'Tag it');
  const form = h('form', { class: 'card create', novalidate: true, 'aria-labelledby': 'tag-one-h' },
    h('h2', { id: 'tag-one-h' }, `Tag a resource with ${name}`), h('div', { class: 'banner-slot' }),
    h('div', { class: 'row' }, field('Type', type), field('Resource', resource)), h('div', { class: 'actions' }, submit));
  async function fill() {
    const [kind, , list, root, idOf, labelOf] = TYPES.find(t => t[0] === type.value);
    clear(resource);
    try {
      // Only your own images can carry tags: the operator's distributions are left out.
      const items = (await get(list + query({ per_page: 200, private: kind === 'image' ? 'true' : '' })))[root];
      if (kind !== type.value) return;
      clear(resource, items.map(r => h('option', { value: idOf(r) }, labelOf(r))));
      submit.disabled = items.length === 0;
      if (items.length === 0) resource.append(h('option', { value: '' }, 'none of this type'));
    } catch (error) {
      showBanner(form.querySelector('.banner-slot'), error);
    }
  }
  type.addEventListener('change', fill);
  fill();
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    try {
      await post(`/tags/${encodeURIComponent(name)}/resources`, { resources: [{ resource_id: resource.value, resource_type: type.value }] });
      tagged();
    } catch (error) {
      showErrors(form, error);
    }
  });
  return form;
}
