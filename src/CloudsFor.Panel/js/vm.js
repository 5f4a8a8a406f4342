// One VM: details, live status, its actions, a button for every action (disabled with the reason when its state
// forbids it), dialogs for rename, resize, rebuild and snapshot, the serial console's tail, and delete with the name typed.
import { get, post, del } from './api.js';
import { h, clear, banner, showBanner, statusBadge, ipv4, time, dialog, field, showErrors, clearErrors, mib, actionHistory } from './ui.js';
import { watch } from './live.js';

// The statuses each action may start from (the server's table, Model/VmActionType.cs; it refuses the rest with 422).
const ALLOWED = {
  power_on: ['off'], power_off: ['active'], shutdown: ['active'], reboot: ['active'], power_cycle: ['active', 'off'],
  rename: ['active', 'off', 'errored'], resize: ['active', 'off'], rebuild: ['active', 'off', 'errored'], snapshot: ['active', 'off'],
};
const RECENT = 10;
const LABELS = {
  power_on: 'Power on', power_off: 'Power off', shutdown: 'Shut down', reboot: 'Reboot', power_cycle: 'Power cycle',
  rename: 'Rename…', resize: 'Resize…', rebuild: 'Rebuild…', snapshot: 'Snapshot…',
};

export function reasonFor(type, vm) {
  if (vm.locked) return 'An action is in progress; wait for it to finish.';
  if (ALLOWED[type].includes(vm.status)) return null;
  if (type === 'power_on' && vm.status === 'active') return 'The VM is already on.';
  if ((type === 'power_off' || type === 'shutdown') && vm.status === 'off') return 'The VM is already off.';
  return `Needs the VM ${ALLOWED[type].join(' or ')}; it is ${vm.status}.`;
}

export function vmPage(main, { params, navigate }) {
  const id = params[0];
  const slot = h('div', { class: 'banner-slot' });
  const head = h('div', { class: 'page-head' }, h('h1', {}, 'VM'));
  const details = h('section', { 'aria-labelledby': 'details-h' });
  const buttons = h('section', { 'aria-labelledby': 'actions-h', class: 'vm-actions' });
  const past = h('section', { 'aria-labelledby': 'history-h' });
  const consoleBox = h('pre', { class: 'console', tabindex: '0', 'aria-label': 'Serial console output' }, '…');
  clear(main, head, slot, details, buttons, past,
    h('section', { 'aria-labelledby': 'console-h' }, h('h2', { id: 'console-h' }, 'Console'), consoleBox),
    h('section', { 'aria-labelledby': 'danger-h', class: 'danger' }, h('h2', { id: 'danger-h' }, 'Delete'),
      h('p', {}, 'Deleting a VM destroys its disk. Snapshots stay.'),
      h('button', { type: 'button', class: 'danger', onclick: () => confirmDelete() }, 'Delete VM…')));

  let vm = null;
  let gone = false;

  async function load() {
    if (gone) return;
    try {
      const [v, a] = await Promise.all([get(`/vms/${id}`), recentActions()]);
      vm = v.vm;
      show(vm, a, await volumesOf(vm));
    } catch (error) {
      if (error.status === 404) {
        gone = true;
        clear(main, h('h1', {}, 'VM not found'), h('p', {}, 'It does not exist, or it was deleted. ', h('a', { href: '/vms', 'data-link': true }, 'Back to your VMs.')));
      } else showBanner(slot, error);
    }
    loadConsole();
  }

  // The API lists a VM's actions oldest first, so its first page is the oldest ten: the newest are on the last one
  // or two pages, found from the first page's meta.total.
  async function recentActions() {
    const page = p => get(`/vms/${id}/actions?per_page=${RECENT}&page=${p}`).then(r => r.actions);
    const first = await get(`/vms/${id}/actions?per_page=${RECENT}`);
    const total = first.meta.total;
    if (total <= RECENT) return first.actions;
    const last = Math.ceil(total / RECENT);
    const tail = total % RECENT === 0 ? await page(last) : (await Promise.all([page(last - 1), page(last)])).flat();
    return tail.slice(-RECENT);
  }

  async function loadConsole() {
    if (gone) return;
    try {
      const c = await get(`/vms/${id}/console?lines=40`);
      const atEnd = consoleBox.scrollTop + consoleBox.clientHeight >= consoleBox.scrollHeight - 4;
      consoleBox.textContent = c.console.output || '(no output yet)';
      if (atEnd) consoleBox.scrollTop = consoleBox.scrollHeight;
    } catch (error) {
      consoleBox.textContent = `The console could not be read: ${error.message}`;
    }
  }

  // At most 7, each read by its id; one that cannot be read is shown by its id.
  const volumesOf = vm => Promise.all((vm.volume_ids || []).map(v => get(`/volumes/${v}`).then(r => r.volume, () => ({ id: v, name: v }))));

  function show(vm, actions, volumes) {
    document.title = `${vm.name} · CloudsFor`;
    clear(head, h('h1', {}, vm.name), h('span', { class: 'live-status', role: 'status', 'aria-live': 'polite' }, statusBadge(vm.status), vm.locked ? h('span', { class: 'muted small' }, ' an action is running') : null));
    clear(details, h('h2', { id: 'details-h', class: 'visually-hidden' }, 'Details'), h('dl', { class: 'details' },
      row('Status', statusBadge(vm.status)), row('IPv4', h('span', { class: 'mono' }, ipv4(vm))),
      row('Region', vm.region ? `${vm.region.name} (${vm.region.slug})` : '—'),
      row('Size', `${vm.size_slug} — ${vm.vcpus} vCPU, ${mib(vm.memory)}, ${vm.disk} GiB`),
      row('Image', vm.image ? vm.image.name : '—'), row('Tags', vm.tags.length ? vm.tags.join(', ') : '—'),
      row('Volumes', volumes.length ? h('ul', { class: 'vm-volumes' }, volumes.map(v =>
        h('li', {}, h('a', { href: `/volumes/${v.id}`, 'data-link': true }, v.name), v.size_gigabytes ? ` (${v.size_gigabytes} GiB)` : ''))) : 'none'),
      row('Created', time(vm.created_at)), row('ID', h('code', {}, vm.id))));
    clear(buttons, h('h2', { id: 'actions-h' }, 'Actions'), h('ul', { class: 'action-buttons' }, Object.keys(ALLOWED).map(type => {
      const why = reasonFor(type, vm);
      const reason = why ? h('span', { class: 'reason', id: `why-${type}` }, why) : null;
      return h('li', {}, h('button', {
        type: 'button', class: 'secondary', 'data-action': type, disabled: !!why, 'aria-describedby': why ? `why-${type}` : null,
        onclick: () => act(type),
      }, LABELS[type]), reason);
    })));
    actionHistory(past, actions);
  }

  const row = (k, v) => [h('dt', {}, k), h('dd', {}, v)];

  async function act(type) {
    if (type === 'rename') return ask('Rename VM', [['name', 'New name', h('input', { name: 'name', value: vm.name, required: true })]], b => b);
    if (type === 'snapshot') return ask('Snapshot VM', [['name', 'Snapshot name', h('input', { name: 'name', value: `${vm.name}-${new Date().toISOString().slice(0, 10)}` })]], b => b);
    if (type === 'resize') {
      const sizes = (await get('/sizes?per_page=200')).sizes;
      return ask('Resize VM', [
        ['size', 'New size', h('select', { name: 'size' }, sizes.map(s => h('option', { value: s.slug, selected: s.slug === vm.size_slug }, `${s.slug} — ${s.vcpus} vCPU, ${mib(s.memory)}, ${s.disk} GiB`)))],
        ['disk', 'Also grow the disk (cannot be undone)', h('input', { name: 'disk', type: 'checkbox' })],
      ], b => ({ size: b.size, disk: b.disk === 'on' }));
    }
    if (type === 'rebuild') {
      const images = (await get('/images?per_page=200')).images;
      return ask('Rebuild VM', [['image', 'Image (the disk is replaced)', h('select', { name: 'image' }, images.map(i => h('option', { value: i.slug || i.id }, i.name)))]], b => b);
    }
    return request({ type });
  }

  async function request(body) {
    slot.replaceChildren();
    try {
      await post(`/vms/${id}/actions`, body);
      await load();
    } catch (error) {
      showBanner(slot, error);
    }
  }

  function ask(title, controls, shape) {
    dialog(title, (form, close) => {
      const submit = h('button', { type: 'submit' }, title.split(' ')[0]);
      form.append(h('div', { class: 'banner-slot' }), ...controls.map(([, label, control]) => field(label, control)),
        h('div', { class: 'actions' }, submit, h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
      form.addEventListener('submit', async e => {
        e.preventDefault();
        clearErrors(form);
        const values = Object.fromEntries(new FormData(form));
        const type = title.split(' ')[0].toLowerCase();
        try {
          await post(`/vms/${id}/actions`, { type, ...shape(values) });
          close();
          load();
        } catch (error) {
          showErrors(form, error);
        }
      });
    });
  }

  function confirmDelete() {
    dialog('Delete VM', (form, close) => {
      const typed = h('input', { name: 'confirm', autocomplete: 'off', spellcheck: 'false' });
      const submit = h('button', { type: 'submit', class: 'danger', disabled: true }, 'Delete for ever');
      typed.addEventListener('input', () => { submit.disabled = typed.value !== vm.name; });
      form.append(h('p', {}, 'This destroys ', h('strong', {}, vm.name), ' and its disk.'), h('div', { class: 'banner-slot' }),
        field(`Type the VM's name, ${vm.name}, to confirm`, typed),
        h('div', { class: 'actions' }, submit, h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
      form.addEventListener('submit', async e => {
        e.preventDefault();
        if (typed.value !== vm.name) return;
        try {
          await del(`/vms/${id}`);
          close();
          navigate('/vms');
        } catch (error) {
          showErrors(form, error);
        }
      });
    });
  }

  load();
  const stop = watch(['vm', 'action'], load);
  // The console has no events: its tail is read again every few seconds while the page is open.
  const tail = setInterval(loadConsole, 3000);
  return () => { stop(); clearInterval(tail); };
}
