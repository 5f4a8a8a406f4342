// API tokens: create one (name, scopes, expiry) and see its secret once; rename one; revoke one after a confirmation.
// The secret lives only in the box shown after creation: the API never returns it again, and a reload drops it.
import { post, put, del } from './api.js';
import { h, clear, field, showErrors, clearErrors, confirmDialog, renameDialog, time } from './ui.js';
import { listPage } from './pages.js';

const SCOPES = [
  ['read', 'read', 'See everything in the account.'],
  ['write', 'write', 'Create, change and delete.'],
  ['admin', 'admin', 'Operators only: users, hosts, the catalog.'],
];

export function tokensPage(main, { session }) {
  const secretSlot = h('div', { class: 'secret-slot' });
  const form = createForm(session, created => { showSecret(secretSlot, created); reload(); });
  const reload = listPage(main, {
    title: 'Tokens', path: '/tokens', root: 'tokens', empty: 'No API tokens yet.',
    intro: 'A token lets a program use the API as you: send it as "Authorization: Bearer TOKEN".',
    before: [form, secretSlot, h('h2', {}, 'Your tokens')],
    columns: [['Name', t => t.name], ['Scopes', t => t.scopes.join(', ')], ['Created', t => time(t.created_at)],
      ['Expires', t => t.expires_at ? time(t.expires_at) : 'never'],
      ['Manage', t => h('span', { class: 'row-buttons' },
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Rename ${t.name}`, onclick: () => rename(t) }, 'Rename…'),
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Revoke ${t.name}`, onclick: () => revoke(t) }, 'Revoke…'))]],
  });

  function rename(token) {
    renameDialog('Rename token', token.name, async name => { await put(`/tokens/${token.id}`, { name }); reload(); });
  }

  function revoke(token) {
    confirmDialog('Revoke token', [`Revoke `, h('strong', {}, token.name), `? Programs that use it get 401 from now on. This cannot be undone.`], 'Revoke',
      async () => { await del(`/tokens/${token.id}`); reload(); });
  }
}

function createForm(session, created) {
  const name = h('input', { name: 'name', autocomplete: 'off', spellcheck: 'false', required: true });
  const boxes = SCOPES.filter(([value]) => value !== 'admin' || session.is_admin).map(([value, label, hint]) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'scopes', value, checked: value === 'read' }), ` ${label} `, h('span', { class: 'muted small' }, hint)));
  const scopesError = h('p', { class: 'field-error', id: 'scopes-error', 'data-error-for': 'scopes', hidden: true });
  const scopes = h('fieldset', { class: 'field', 'aria-describedby': scopesError.id }, h('legend', {}, 'Scopes'), boxes, scopesError);
  const days = h('input', { name: 'expires_in_days', type: 'number', min: 1, max: 365, step: 1, inputmode: 'numeric' });
  const submit = h('button', { type: 'submit' }, 'Create token');
  const form = h('form', { class: 'card create', novalidate: true, 'aria-labelledby': 'new-token-h' },
    h('h2', { id: 'new-token-h' }, 'New token'), h('div', { class: 'banner-slot' }),
    field('Name', name, 'What the token is for, such as "backup script".'), scopes,
    field('Expires after (days)', days, 'Optional, 1 to 365. Empty: it never expires.'),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    const body = { name: name.value, scopes: [...form.querySelectorAll('input[name=scopes]:checked')].map(c => c.value) };
    if (days.value !== '') {
      const n = Number(days.value);
      // The API counts seconds; the form counts days, so a bad number is explained in days here.
      if (!Number.isInteger(n) || n < 1 || n > 365) return showErrors(form, { fields: [{ field: 'expires_in_days', message: 'must be a whole number of days from 1 to 365' }] });
      body.expires_in_seconds = n * 86400;
    }
    submit.disabled = true;
    try {
      const answer = await post('/tokens', body);
      form.reset();
      created(answer.token);
    } catch (error) {
      for (const fe of error.fields) if (fe.field === 'expires_in_seconds') fe.field = 'expires_in_days';
      showErrors(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function showSecret(slot, token) {
  const secret = h('code', { class: 'secret', id: 'token-secret' }, token.token);
  const said = h('span', { class: 'muted small', role: 'status' });
  const copy = h('button', { type: 'button', onclick: async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      said.textContent = 'Copied.';
    } catch {
      // No clipboard (an old browser, or permission refused): select the text so a keyboard copy takes it.
      getSelection().selectAllChildren(secret);
      said.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  } }, 'Copy');
  const box = h('section', { class: 'secret-box', 'aria-labelledby': 'secret-h', tabindex: '-1' },
    h('h2', { id: 'secret-h' }, `Token "${token.name}" created: copy its secret now`),
    h('p', { class: 'secret-note' }, h('strong', {}, 'It will not be shown again.'), ' Store it somewhere safe; if you lose it, revoke the token and create another.'),
    h('div', { class: 'secret-line' }, secret, copy, said),
    h('button', { type: 'button', class: 'secondary', onclick: () => clear(slot) }, 'Done, I have stored it'));
  clear(slot, box);
  box.focus();
}
