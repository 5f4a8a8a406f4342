// SSH keys: the account's public keys (POST /account/keys), which the create form offers to install on new VMs.
// A key is pasted or read from a .pub file in the browser (FileReader: nothing leaves the page but the text sent).
import { post, put, del } from './api.js';
import { h, field, renameDialog, showErrors, clearErrors, confirmDialog, time } from './ui.js';
import { listPage } from './pages.js';

export function keysPage(main) {
  const form = createForm(() => reload());
  const reload = listPage(main, {
    title: 'SSH keys', path: '/account/keys', root: 'ssh_keys', empty: 'No SSH keys yet.',
    intro: 'Keys you add here can be installed on new VMs and on rebuilds, so you log in as root with your private key.',
    before: [form, h('h2', {}, 'Your keys')],
    columns: [['Name', k => k.name], ['Fingerprint', k => h('code', { class: 'fingerprint' }, k.fingerprint)],
      ['SHA256', k => h('code', { class: 'fingerprint' }, k.fingerprint_sha256)], ['Added', k => time(k.created_at)],
      ['Manage', k => h('span', { class: 'row-buttons' },
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Rename ${k.name}`, onclick: () => rename(k) }, 'Rename…'),
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${k.name}`, onclick: () => remove(k) }, 'Delete…'))]],
  });

  function rename(key) {
    renameDialog('Rename SSH key', key.name, async name => { await put(`/account/keys/${key.id}`, { name }); reload(); });
  }

  function remove(key) {
    confirmDialog('Delete SSH key', ['Delete ', h('strong', {}, key.name), '? VMs that already have it keep it; new VMs can no longer get it.'],
      'Delete', async () => { await del(`/account/keys/${key.id}`); reload(); });
  }
}

function createForm(added) {
  const name = h('input', { name: 'name', autocomplete: 'off', spellcheck: 'false', required: true });
  const publicKey = h('textarea', { name: 'public_key', rows: 3, spellcheck: 'false', required: true, placeholder: 'ssh-ed25519 AAAA… you@laptop' });
  const file = h('input', { type: 'file', name: 'key_file', accept: '.pub,text/plain' });
  // A .pub file fills the text box; its comment becomes the name when none was typed.
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    publicKey.value = (await chosen.text()).trim();
    if (!name.value) name.value = publicKey.value.split(/\s+/)[2] || chosen.name.replace(/\.pub$/, '');
  });
  const submit = h('button', { type: 'submit' }, 'Add SSH key');
  const form = h('form', { class: 'card create', novalidate: true, 'aria-labelledby': 'new-key-h' },
    h('h2', { id: 'new-key-h' }, 'Add an SSH key'), h('div', { class: 'banner-slot' }),
    field('Public key', publicKey, 'One line of a .pub file, such as ~/.ssh/id_ed25519.pub. Never the private key.'),
    field('Or read it from a file', file),
    field('Name', name, 'Where the key lives, such as "laptop".'),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    submit.disabled = true;
    try {
      await post('/account/keys', { name: name.value, public_key: publicKey.value.trim() });
      form.reset();
      added();
    } catch (error) {
      showErrors(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
