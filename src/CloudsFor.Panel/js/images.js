// Images: the distributions every account may use (the operator's, read-only here) and the account's own snapshots
// and custom images, whose name and description can be edited, and which can be deleted; custom images are imported
// here (importForm in image-import.js), and the list follows their status live.
import { put, del } from './api.js';
import { h, dialog, field, showErrors, clearErrors, confirmDialog, time, statusBadge } from './ui.js';
import { listPage } from './pages.js';
import { watch } from './live.js';
import { importForm, importStatus } from './image-import.js';

export function imagesPage(main) {
  const reload = listPage(main, {
    title: 'Images', path: '/images', root: 'images', empty: 'No images.',
    intro: 'Distributions come from the operator; your snapshots and imported images can be edited and deleted here.',
    before: [importForm(() => reload()), h('h2', {}, 'All images')],
    columns: [['Name', i => [h('div', {}, i.name), i.description ? h('p', { class: 'muted small image-description' }, i.description) : null]],
      ['Type', i => i.type], ['Distribution', i => i.distribution], ['Slug', i => i.slug || '—'],
      ['Min disk', i => `${i.min_disk_size} GiB`], ['Status', i => [statusBadge(i.status), importStatus(i)]], ['Created', i => time(i.created_at)],
      ['Manage', i => i.public ? '' : h('span', { class: 'row-buttons' },
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${i.name}`, onclick: () => edit(i) }, 'Edit…'),
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${i.name}`, onclick: () => remove(i) }, 'Delete…'))]],
  });

  function edit(image) {
    dialog('Edit image', (form, close) => {
      const name = h('input', { name: 'name', value: image.name, required: true, autocomplete: 'off', spellcheck: 'false' });
      const description = h('textarea', { name: 'description', rows: 3, maxlength: 1024 });
      description.value = image.description || '';
      form.append(h('div', { class: 'banner-slot' }), field('Name', name), field('Description', description, 'Optional, up to 1024 characters.'),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save'), h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
      form.addEventListener('submit', async e => {
        e.preventDefault();
        clearErrors(form);
        try {
          await put(`/images/${image.id}`, { name: name.value, description: description.value });
          close();
          reload();
        } catch (error) {
          showErrors(form, error);
        }
      });
    });
  }

  function remove(image) {
    confirmDialog('Delete image', ['Delete ', h('strong', {}, image.name), '? VMs made from it keep running; it cannot be used again. This cannot be undone.'],
      'Delete', async () => { await del(`/images/${image.id}`); reload(); });
  }

  return watch(['image'], reload);
}
