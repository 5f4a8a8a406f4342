// Users, for operators: every user (each is an account of its own), a form to create one, and delete after a
// confirmation that says what goes with the user, and an edit dialog for its limits, email and operator flag. The
// password typed here is sent once and never kept by the page.
import { post, put, del } from './api.js';
import { h, clear, field, showErrors, clearErrors, confirmDialog, dialog, time, link } from './ui.js';
import { listPage } from './pages.js';

export function usersPage(main, { session }) {
  if (!session.is_admin) {
    // The navigation hides the page from other users; one who follows a link still learns why it is empty.
    document.title = 'Users · CloudsFor';
    clear(main, h('h1', {}, 'Users'),
      h('p', {}, 'Managing users is for operators only, and your user is not an operator. ', link('/vms', 'Go to your VMs.')));
    return;
  }
  const reload = listPage(main, {
    title: 'Users', path: '/users', root: 'users', empty: 'No users.',
    intro: 'Each user is an account of its own: its VMs, images, domains and tokens are seen by no other user.',
    before: [createForm(() => reload()), h('h2', {}, 'All users')],
    columns: [['Username', u => u.username], ['Email', u => u.email], ['Operator', u => u.admin ? 'yes' : 'no'],
      ['VM limit', u => u.vm_limit], ['Volume limit', u => u.volume_limit], ['Volume GiB limit', u => u.volume_gigabytes_limit],
      ['Created', u => time(u.created_at)],
      ['Manage', u => h('span', { class: 'row-buttons' },
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${u.username}`, onclick: () => edit(u) }, 'Edit…'),
        u.username === session.username ? h('span', { class: 'muted small' }, 'you')
          : h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${u.username}`, onclick: () => remove(u) }, 'Delete…'))]],
  });

  function edit(user) {
    dialog(`Edit ${user.username}`, (form, close) => {
      const number = (name, max) => h('input', { name, type: 'number', min: 0, max, step: 1, inputmode: 'numeric', value: user[name] });
      const limits = [['vm_limit', 1000000], ['volume_limit', 1000000], ['volume_gigabytes_limit', 1000000000]].map(([n, max]) => number(n, max));
      const [vmLimit, volumeLimit, volumeGigabytesLimit] = limits;
      const email = h('input', { name: 'email', type: 'email', value: user.email, autocomplete: 'off', spellcheck: 'false' });
      const self = user.username === session.username;
      const admin = h('input', { type: 'checkbox', name: 'admin', id: `edit-admin-${user.id}`, checked: user.admin, disabled: self,
        'aria-describedby': `edit-admin-${user.id}-why edit-admin-${user.id}-error` });
      form.append(h('div', { class: 'banner-slot' }),
        field('VM limit', vmLimit, 'How many VMs the user may have at once. Lower than what it has now: nothing is removed, new ones are refused.'),
        field('Volume limit', volumeLimit, 'How many volumes (and volume snapshots) the user may have.'),
        field('Volume space limit (GiB)', volumeGigabytesLimit, 'All its volumes together.'),
        field('Email', email),
        h('div', { class: 'field' }, h('label', { class: 'check', for: admin.id }, admin, ' Operator'),
          h('p', { class: 'hint', id: `edit-admin-${user.id}-why` }, self ? 'You cannot take admin away from yourself.' : 'May manage users, hosts and the catalog.'),
          h('p', { class: 'field-error', id: `edit-admin-${user.id}-error`, 'data-error-for': 'admin', hidden: true })),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save'), h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
      form.addEventListener('submit', async e => {
        e.preventDefault();
        clearErrors(form);
        const bad = limits.filter(l => l.validity.badInput || l.value === '');
        if (bad.length) return showErrors(form, { fields: bad.map(l => ({ field: l.name, message: 'must be a whole number' })) });
        // Only what changed is sent: an unchanged field is left as the server has it.
        const body = {};
        for (const l of limits) if (Number(l.value) !== user[l.name]) body[l.name] = Number(l.value);
        if (email.value.trim() !== user.email) body.email = email.value.trim();
        if (!self && admin.checked !== user.admin) body.admin = admin.checked;
        try {
          if (Object.keys(body).length) await put(`/users/${user.id}`, body);
          close();
          reload();
        } catch (error) {
          showErrors(form, error);
        }
      });
    });
  }

  function remove(user) {
    confirmDialog('Delete user', ['Delete ', h('strong', {}, user.username), '? Every VM of this user is destroyed (in the background, ',
      'disks included), its domains and their records are removed, and its API tokens and signed-in sessions stop working at once. ',
      'This cannot be undone.'], 'Delete user', async () => { await del(`/users/${user.id}`); reload(); });
  }
}

function createForm(created) {
  const username = h('input', { name: 'username', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', required: true, maxlength: 32 });
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'off', spellcheck: 'false', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const vmLimit = h('input', { name: 'vm_limit', type: 'number', min: 0, max: 1000000, step: 1, inputmode: 'numeric', placeholder: '100' });
  const admin = h('input', { type: 'checkbox', name: 'admin', id: 'new-user-admin', 'aria-describedby': 'new-user-admin-error' });
  const adminError = h('p', { class: 'field-error', id: 'new-user-admin-error', 'data-error-for': 'admin', hidden: true });
  const submit = h('button', { type: 'submit' }, 'Create user');
  const form = h('form', { class: 'card create', novalidate: true, 'aria-labelledby': 'new-user-h' },
    h('h2', { id: 'new-user-h' }, 'New user'), h('div', { class: 'banner-slot' }),
    h('div', { class: 'row' }, field('Username', username, 'A lowercase letter, then 1 to 31 of a-z, 0-9, "_", "." and "-".'),
      field('Email', email)),
    h('div', { class: 'row' }, field('Password', password, 'At least 8 characters. Tell it to the user another way.'),
      field('VM limit', vmLimit, 'How many VMs the user may have at once. Empty: 100.')),
    h('div', { class: 'field' }, h('label', { class: 'check', for: admin.id }, admin, ' Operator ',
      h('span', { class: 'muted small' }, 'May manage users, hosts and the catalog.')), adminError),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    const body = { username: username.value, email: email.value, password: password.value, admin: admin.checked };
    password.value = '';
    if (vmLimit.validity.badInput) return showErrors(form, { fields: [{ field: 'vm_limit', message: 'must be a whole number' }] });
    if (vmLimit.value !== '') body.vm_limit = Number(vmLimit.value);
    submit.disabled = true;
    try {
      await post('/users', body);
      form.reset();
      created();
    } catch (error) {
      // The API answers a taken username with 409 and no field: it is the username's error all the same.
      if (error.status === 409) error.fields = [{ field: 'username', message: error.message }];
      showErrors(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
