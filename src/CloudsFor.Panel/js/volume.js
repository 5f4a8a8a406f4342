// One volume: details and live status, attach (to a VM of its region), detach, resize (grow only) and delete, each
// button disabled with its reason when the volume's state forbids it, and the volume's recent actions.
import { get, post, del } from './api.js';
import { h, clear, statusBadge, showBanner, time, dialog, field, clearErrors, confirmDialog, link, actionHistory } from './ui.js';
import { watch } from './live.js';
import { fsText, vmNames, showVolumeErrors } from './volumes.js';
import { snapshotDialog, volumeSnapshots } from './snapshots.js';

const RECENT = 10;

/** Why an action cannot start now, or null; the server's rules (VolumeIntake) with the same words a user needs. */
export function volumeReason(type, volume, busy) {
  if (volume.status === 'creating') return 'The volume is being created; wait for it.';
  if (busy) return 'An action is in progress; wait for it to finish.';
  const attached = volume.vm_ids.length > 0;
  if (type === 'attach' && attached) return 'It is attached already: detach it first.';
  if (type === 'detach' && !attached) return 'It is not attached to a VM.';
  if (type === 'snapshot' && volume.status !== 'available') return 'Only an available volume can be snapshotted.';
  if (type === 'delete' && attached) return 'It is attached to a VM: detach it before deleting it.';
  return null;
}

export function volumePage(main, { params, navigate }) {
  const id = params[0];
  const slot = h('div', { class: 'banner-slot' });
  const head = h('div', { class: 'page-head' }, h('h1', {}, 'Volume'));
  const details = h('section', { 'aria-labelledby': 'details-h' });
  const buttons = h('section', { 'aria-labelledby': 'actions-h', class: 'vm-actions' });
  const past = h('section', { 'aria-labelledby': 'history-h' });
  const snaps = h('section', { 'aria-labelledby': 'snapshots-h' });
  clear(main, h('p', { class: 'crumbs' }, link('/volumes', '← Volumes')), head, slot, details, buttons, snaps, past);

  let volume = null;
  let gone = false;

  async function load() {
    if (gone) return;
    try {
      const [v, actions, vms] = await Promise.all([get(`/volumes/${id}`), recentActions(), vmNames()]);
      volume = v.volume;
      show(volume, actions, vms);
      volumeSnapshots(snaps, id, slot, navigate);
    } catch (error) {
      if (error.status === 404) {
        gone = true;
        clear(main, h('h1', {}, 'Volume not found'), h('p', {}, 'It does not exist, or it was deleted. ', link('/volumes', 'Back to your volumes.')));
      } else showBanner(slot, error);
    }
  }

  // Listed oldest first, like a VM's: the newest are on the last page.
  async function recentActions() {
    const first = await get(`/volumes/${id}/actions?per_page=${RECENT}`);
    const last = Math.ceil(first.meta.total / RECENT);
    if (last <= 1) return first.actions;
    const tail = (await Promise.all([last - 1, last].map(p => get(`/volumes/${id}/actions?per_page=${RECENT}&page=${p}`)))).flatMap(r => r.actions);
    return tail.slice(-RECENT);
  }

  function show(v, actions, vms) {
    document.title = `${v.name} · CloudsFor`;
    const busy = actions.some(a => a.status === 'in-progress');
    clear(head, h('h1', {}, v.name), h('span', { class: 'live-status', role: 'status', 'aria-live': 'polite' }, statusBadge(v.status),
      busy ? h('span', { class: 'muted small' }, ' an action is running') : null));
    clear(details, h('h2', { id: 'details-h', class: 'visually-hidden' }, 'Details'), h('dl', { class: 'details' },
      row('Status', statusBadge(v.status)), row('Size', `${v.size_gigabytes} GiB`),
      row('Region', v.region ? `${v.region.name} (${v.region.slug})` : v.region_slug),
      row('Attached to', v.vm_ids.length ? v.vm_ids.map(vm => link(`/vms/${vm}`, vms.get(vm) || vm)) : 'nothing'),
      row('File system', fsText(v)), row('Description', v.description || '—'),
      row('Tags', v.tags.length ? v.tags.map(t => h('span', { class: 'tag' }, t)) : '—'),
      row('Created', time(v.created_at)), row('ID', h('code', {}, v.id))));
    const button = (type, label, run, cls = 'secondary') => {
      const why = volumeReason(type, v, busy);
      return h('li', {}, h('button', { type: 'button', class: cls, 'data-action': type, disabled: !!why, 'aria-describedby': why ? `why-${type}` : null, onclick: run }, label),
        why ? h('span', { class: 'reason', id: `why-${type}` }, why) : null);
    };
    clear(buttons, h('h2', { id: 'actions-h' }, 'Actions'), h('ul', { class: 'action-buttons' },
      button('attach', 'Attach…', attach), button('detach', 'Detach', detach), button('resize', 'Resize…', resize),
      button('snapshot', 'Snapshot…', () => snapshotDialog(volume, load)),
      button('delete', 'Delete…', remove, 'danger')));
    actionHistory(past, actions);
  }

  const row = (k, v) => [h('dt', {}, k), h('dd', {}, v)];

  async function act(body, form, close) {
    try {
      await post(`/volumes/${id}/actions`, body);
      close?.();
      slot.replaceChildren();
      await load();
    } catch (error) {
      if (form) showVolumeErrors(form, error); else showBanner(slot, error);
    }
  }

  async function attach() {
    let vms;
    try {
      vms = (await get(`/vms?region=${encodeURIComponent(volume.region_slug)}&per_page=200`)).vms;
    } catch (error) {
      return showBanner(slot, error);
    }
    dialog('Attach volume', (form, close) => {
      const vm = h('select', { name: 'vm_id', required: true }, vms.map(m => h('option', { value: m.id }, `${m.name} (${m.status})`)));
      const submit = h('button', { type: 'submit', disabled: vms.length === 0 }, 'Attach');
      form.append(h('div', { class: 'banner-slot' }),
        vms.length ? field('VM', vm, `Your VMs in ${volume.region_slug}; a VM holds at most 7 volumes.`)
          : h('p', {}, `You have no VM in ${volume.region_slug}: a volume attaches only to a VM of its region.`),
        h('div', { class: 'actions' }, submit, h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
      form.addEventListener('submit', e => {
        e.preventDefault();
        clearErrors(form);
        act({ type: 'attach', vm_id: vm.value }, form, close);
      });
    });
  }

  function detach() { act({ type: 'detach' }); }

  function resize() {
    dialog('Resize volume', (form, close) => {
      const size = h('input', { name: 'size_gigabytes', type: 'number', min: volume.size_gigabytes + 1, max: 16384, step: 1, inputmode: 'numeric', value: volume.size_gigabytes + 1 });
      form.append(h('div', { class: 'banner-slot' }),
        field('New size (GiB)', size, `Volumes only grow: more than its ${volume.size_gigabytes} GiB now. This cannot be undone.`),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Resize'), h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
      form.addEventListener('submit', e => {
        e.preventDefault();
        clearErrors(form);
        act({ type: 'resize', size_gigabytes: size.value === '' ? null : Number(size.value) }, form, close);
      });
    });
  }

  function remove() {
    confirmDialog('Delete volume', ['Delete ', h('strong', {}, volume.name), ' and everything on it? This cannot be undone.'], 'Delete',
      async () => { await del(`/volumes/${id}`); gone = true; navigate('/volumes'); });
  }

  load();
  return watch(['volume', 'action', 'vm', 'snapshot'], load);
}
