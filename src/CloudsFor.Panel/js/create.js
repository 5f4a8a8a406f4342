// The create form: pickers from GET /regions, /sizes, /images and /account/keys; one name or several; tags, SSH keys
// (saved ones picked, others pasted), user data.
import { get, post } from './api.js';
import { h, clear, banner, field, showErrors, clearErrors, mib } from './ui.js';

export function vmCreate(main, { navigate }) {
  document.title = 'Create VM · CloudsFor';
  clear(main, h('h1', {}, 'Create VM'), h('p', { class: 'muted' }, 'Loading regions, sizes and images…'));
  (async () => {
    let regions, sizes, images, keys;
    try {
      [regions, sizes, images, keys] = await Promise.all([
        get('/regions?per_page=200'), get('/sizes?per_page=200'), get('/images?per_page=200'), get('/account/keys?per_page=200')]);
    } catch (error) {
      clear(main, h('h1', {}, 'Create VM'), banner(error));
      return;
    }
    build(main, regions.regions, sizes.sizes, images.images, keys.ssh_keys, navigate);
  })();
}

function build(main, regions, sizes, images, keys, navigate) {
  const region = h('select', { name: 'region' }, regions.map(r =>
    h('option', { value: r.slug, disabled: !r.available }, `${r.name} (${r.slug})${r.available ? '' : ' — unavailable'}`)));
  const size = h('select', { name: 'size' }, sizes.map(s =>
    h('option', { value: s.slug, disabled: !s.available },
      `${s.slug} — ${s.vcpus} vCPU, ${mib(s.memory)}, ${s.disk} GiB disk, $${s.price_monthly}/month`)));
  const byType = (t, label) => {
    const list = images.filter(i => i.type === t);
    return list.length ? h('optgroup', { label }, list.map(i => h('option', { value: i.slug || i.id }, i.name + (i.slug ? ` (${i.slug})` : '')))) : null;
  };
  const image = h('select', { name: 'image' }, byType('distribution', 'Distributions'), byType('snapshot', 'Your snapshots'), byType('custom', 'Custom images'));
  const names = h('input', { name: 'names', autocomplete: 'off', spellcheck: 'false', required: true });
  const tags = h('input', { name: 'tags', autocomplete: 'off', spellcheck: 'false' });
  // The account's keys as check boxes (sent by id); a pasted key goes as its text. Both end up in ssh_keys.
  const keyBoxes = keys.map(k => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'key_ids', value: k.id }),
    ` ${k.name} `, h('code', { class: 'muted small' }, k.fingerprint_sha256)));
  const keyPicker = h('fieldset', { class: 'field' }, h('legend', {}, 'SSH keys'),
    keyBoxes.length ? keyBoxes : h('p', { class: 'hint' }, 'You have no saved keys. ', h('a', { href: '/keys', 'data-link': true }, 'Add one'), ', or paste a key below.'));
  const sshKey = h('textarea', { name: 'ssh_keys', rows: 3, spellcheck: 'false', placeholder: 'ssh-ed25519 AAAA… you@laptop' });
  const userData = h('textarea', { name: 'user_data', rows: 5, spellcheck: 'false', placeholder: '#cloud-config' });
  const submit = h('button', { type: 'submit' }, 'Create');
  const form = h('form', { class: 'card create', novalidate: true },
    h('div', { class: 'banner-slot' }),
    field('Name(s)', names, 'One host name, or several separated by commas or spaces to create several VMs at once.'),
    h('div', { class: 'row' }, field('Region', region), field('Image', image)),
    field('Size', size),
    field('Tags', tags, 'Optional, separated by commas.'),
    keyPicker,
    field('Other SSH public keys', sshKey, 'Optional: paste public keys, one per line, to log in as root.'),
    field('User data', userData, 'Optional: cloud-init user data for the first boot.'),
    h('div', { class: 'actions' }, submit, h('a', { href: '/vms', 'data-link': true, class: 'button secondary' }, 'Cancel')));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    const list = names.value.split(/[\s,]+/).filter(Boolean);
    const body = { region: region.value, size: size.value, image: image.value };
    // One name goes as "name" so its error lands on it; the API answers several names with "names".
    if (list.length === 1) body.name = list[0]; else body.names = list;
    const tagList = tags.value.split(',').map(t => t.trim()).filter(Boolean);
    if (tagList.length) body.tags = tagList;
    const chosen = [...form.querySelectorAll('input[name=key_ids]:checked')].map(c => c.value);
    const pasted = sshKey.value.split('\n').map(k => k.trim()).filter(Boolean);
    if (chosen.length || pasted.length) body.ssh_keys = [...chosen, ...pasted];
    if (userData.value) body.user_data = userData.value;
    submit.disabled = true;
    try {
      const created = await post('/vms', body);
      navigate(created.vm ? `/vms/${created.vm.id}` : '/vms');
    } catch (error) {
      // Errors about "name" belong to the names field: the form has one field for both.
      for (const fe of error.fields) if (fe.field === 'name') fe.field = 'names';
      showErrors(form, error);
      submit.disabled = false;
    }
  });
  clear(main, h('div', { class: 'page-head' }, h('h1', {}, 'Create VM')), form);
  names.focus();
}
