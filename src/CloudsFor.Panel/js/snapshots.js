// Snapshots of VMs and volumes: the list (filter by kind, delete, followed live), and on a volume's page the dialog
// that takes one and the volume's own snapshots, each of which a new volume can be made from.
import { get, post, del, query } from './api.js';
import { h, clear, banner, field, clearErrors, showBanner, confirmDialog, dialog, statusBadge, time, link } from './ui.js';
import { watch } from './live.js';
import { vmNames, showVolumeErrors } from './volumes.js';

const PER_PAGE = 20;
const KINDS = [['', 'all'], ['vm', 'VM'], ['volume', 'volume']];

export function snapshotsPage(main) {
  document.title = 'Snapshots · CloudsFor';
  const state = { kind: new URLSearchParams(location.search).get('resource_type') || '', page: 1 };
  const kind = h('select', { name: 'resource_type' }, KINDS.map(([value, label]) => h('option', { value, selected: value === state.kind }, label)));
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter snapshots' },
    field('Kind', kind), h('button', { type: 'submit', class: 'secondary' }, 'Filter'));
  filters.addEventListener('submit', e => {
    e.preventDefault();
    Object.assign(state, { kind: kind.value, page: 1 });
    history.replaceState(null, '', '/snapshots' + query({ resource_type: state.kind }));
    load();
  });
  kind.addEventListener('change', () => filters.requestSubmit());
  const slot = h('div', { class: 'banner-slot' });
  const results = h('div', { class: 'results', 'aria-live': 'polite', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading snapshots…'));
  clear(main, h('div', { class: 'page-head' }, h('h1', {}, 'Snapshots')),
    h('p', { class: 'muted' }, 'Copies of a VM\'s disk (they boot new VMs, and are listed with your images too) or of a volume (new volumes are made from them on the volume\'s page).'),
    slot, filters, results);

  let loading = 0;
  async function load() {
    const mine = ++loading;
    try {
      const [data, names] = await Promise.all([
        get('/snapshots' + query({ page: state.page, per_page: PER_PAGE, resource_type: state.kind })), resourceNames()]);
      if (mine === loading) show(data, names);
    } catch (error) {
      if (mine === loading) clear(results, banner(error));
    }
    results.setAttribute('aria-busy', 'false');
  }

  function show(data, names) {
    const pages = Math.max(1, Math.ceil(data.meta.total / PER_PAGE));
    if (data.snapshots.length === 0) {
      clear(results, h('p', { class: 'empty' }, state.kind ? 'No snapshot of this kind.' : 'You have no snapshots yet.'));
      return;
    }
    clear(results,
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Snapshots' }, h('table', {},
        h('thead', {}, h('tr', {}, ['Name', 'Kind', 'Taken of', 'Region', 'Size', 'Min size', 'Created', 'Status', 'Delete'].map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, data.snapshots.map(s => h('tr', { 'data-snapshot': s.id },
          h('th', { scope: 'row' }, s.name),
          h('td', {}, s.resource_type === 'vm' ? 'VM' : 'volume'),
          h('td', {}, source(s, names)),
          h('td', {}, s.regions.join(', ')),
          h('td', {}, `${s.size_gigabytes} GiB`),
          h('td', {}, `${s.min_disk_size} GiB`),
          h('td', {}, time(s.created_at)),
          h('td', {}, statusBadge(s.status)),
          h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${s.name}`, onclick: () => remove(s) }, 'Delete…'))))))),
      pages > 1 ? h('nav', { class: 'pager', 'aria-label': 'Pages' },
        h('button', { type: 'button', class: 'secondary', disabled: state.page <= 1, onclick: () => { state.page--; load(); } }, 'Previous'),
        h('span', {}, `Page ${state.page} of ${pages}`),
        h('button', { type: 'button', class: 'secondary', disabled: state.page >= pages, onclick: () => { state.page++; load(); } }, 'Next')) : null);
  }

  function remove(s) {
    confirmDialog('Delete snapshot', ['Delete ', h('strong', {}, s.name), '? Its files are removed now; VMs and volumes made from it keep working. This cannot be undone.'],
      'Delete', async () => { await del(`/snapshots/${s.id}`); slot.replaceChildren(); load(); });
  }

  load();
  return watch(['snapshot'], load);
}

/** The VM or volume a snapshot was taken of, as a link while it exists (it may be gone since). */
function source(s, names) {
  const name = names.get(s.resource_id);
  if (!name) return h('span', { class: 'muted' }, h('code', {}, s.resource_id.slice(-12)), ' (gone)');
  return link(s.resource_type === 'vm' ? `/vms/${s.resource_id}` : `/volumes/${s.resource_id}`, name);
}

async function resourceNames() {
  const [vms, volumes] = await Promise.all([vmNames(), get('/volumes?per_page=200')]);
  for (const v of volumes.volumes) vms.set(v.id, v.name);
  return vms;
}

/** Asks for a name and takes a snapshot of the volume; the answer is 202 and the snapshot shows as it is made. */
export function snapshotDialog(volume, taken) {
  dialog('Snapshot volume', (form, close) => {
    const name = h('input', { name: 'name', required: true, autocomplete: 'off', spellcheck: 'false', maxlength: 255 });
    form.append(h('div', { class: 'banner-slot' }),
      field('Name', name, `A copy of ${volume.name} as it is now; new volumes of at least ${volume.size_gigabytes} GiB can be made from it.`),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Take snapshot'), h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      clearErrors(form);
      try {
        await post(`/volumes/${volume.id}/snapshots`, { name: name.value.trim() });
        close();
        taken();
      } catch (error) {
        showVolumeErrors(form, error);
      }
    });
  });
}

/** The volume's snapshots in `section`, each with a button that makes a new volume from it. */
export async function volumeSnapshots(section, volumeId, slot, navigate) {
  let list;
  try {
    list = (await get(`/volumes/${volumeId}/snapshots?per_page=200`)).snapshots;
  } catch (error) {
    return showBanner(slot, error);
  }
  clear(section, h('h2', { id: 'snapshots-h' }, 'Snapshots'), list.length === 0 ? h('p', { class: 'muted' }, 'None yet.') :
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Snapshots of this volume' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Name', 'Status', 'Min size', 'Created', 'New volume'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, list.map(s => h('tr', {},
        h('th', { scope: 'row' }, s.name), h('td', {}, statusBadge(s.status)), h('td', {}, `${s.min_disk_size} GiB`), h('td', {}, time(s.created_at)),
        h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': `New volume from ${s.name}`, disabled: s.status !== 'available',
          onclick: () => volumeFrom(s, navigate) }, 'New volume…'))))))));
}

function volumeFrom(s, navigate) {
  dialog('New volume from snapshot', (form, close) => {
    const name = h('input', { name: 'name', required: true, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' });
    const size = h('input', { name: 'size_gigabytes', type: 'number', min: s.min_disk_size, max: 16384, step: 1, inputmode: 'numeric', value: s.min_disk_size });
    form.append(h('div', { class: 'banner-slot' }),
      field('Name', name, 'A lowercase letter, then up to 63 of a-z, 0-9 and -; unique in its region.'),
      field('Size (GiB)', size, `At least ${s.min_disk_size} GiB, the size of the volume it was taken of. It is made in ${s.regions.join(', ')} with the snapshot's file system.`),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create volume'), h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      clearErrors(form);
      try {
        const made = await post('/volumes', { name: name.value.trim(), size_gigabytes: size.value === '' ? null : Number(size.value), snapshot_id: s.id });
        close();
        navigate(`/volumes/${made.volume.id}`);
      } catch (error) {
        showVolumeErrors(form, error);
      }
    });
  });
}
