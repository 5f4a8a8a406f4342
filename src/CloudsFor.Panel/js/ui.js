// Small DOM helpers: elements built from data (never from HTML strings, so nothing the API returns can run as markup),
// the error banner, and field errors next to their fields.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) { el.replaceChildren(); append(el, children); return el; }

/** A banner for an error that belongs to no field: its message and the request id to quote. */
export function banner(error, kind = 'error') {
  if (!error) return h('div', { class: 'banner-slot' });
  const text = typeof error === 'string' ? error : error.message;
  return h('div', { class: `banner ${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('p', {}, text),
    error.requestId ? h('p', { class: 'request-id' }, 'Request id: ', h('code', {}, error.requestId)) : null);
}

export function showBanner(slot, error, kind) { slot.replaceChildren(banner(error, kind)); }

/**
 * Puts each field error of an API failure next to its field (a field named "names[1]" or "size.slug" belongs to the
 * control named "names" or "size"), and every other error in the form's banner. Returns whether any field got one.
 */
export function showErrors(form, error) {
  clearErrors(form);
  const slot = form.querySelector('.banner-slot');
  const unplaced = [];
  for (const fe of error.fields || []) {
    const name = String(fe.field).split(/[[.]/)[0];
    const control = form.elements.namedItem(name);
    const box = control && form.querySelector(`[data-error-for="${name}"]`);
    if (!box) { unplaced.push(`${fe.field}: ${fe.message}`); continue; }
    box.textContent = box.textContent ? `${box.textContent} ${fe.message}` : fe.message;
    box.hidden = false;
    const el = control instanceof RadioNodeList ? control[0] : control;
    el.setAttribute('aria-invalid', 'true');
  }
  const placed = (error.fields || []).length - unplaced.length;
  if (slot && (placed === 0 || unplaced.length)) {
    showBanner(slot, placed ? { message: unplaced.join(' '), requestId: error.requestId } : error);
  }
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
  else if (slot) slot.querySelector('.banner')?.focus?.();
  return placed > 0;
}

export function clearErrors(form) {
  for (const box of form.querySelectorAll('[data-error-for]')) { box.textContent = ''; box.hidden = true; }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const slot = form.querySelector('.banner-slot');
  if (slot) slot.replaceChildren();
}

let fieldCount = 0;

/** A labelled control with its hint and its (hidden until needed) error line, tied together for screen readers. */
export function field(label, control, hint) {
  const id = control.id || `f${++fieldCount}`;
  control.id = id;
  const name = control.getAttribute('name');
  const described = [];
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) described.push(hintEl.id);
  const errorEl = h('p', { class: 'field-error', id: `${id}-error`, 'data-error-for': name, hidden: true });
  described.push(errorEl.id);
  control.setAttribute('aria-describedby', described.join(' '));
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl, errorEl);
}

export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, status);
}

export function time(stamp) {
  if (!stamp) return '—';
  const d = new Date(stamp);
  return h('time', { datetime: stamp, title: stamp }, d.toLocaleString());
}

export function ipv4(vm) {
  const pub = (vm.networks?.v4 || []).find(n => n.type === 'public') || (vm.networks?.v4 || [])[0];
  return pub ? pub.ip_address : '—';
}

export function link(href, ...children) { return h('a', { href, 'data-link': true }, ...children); }

/** A modal dialog with a form; resolves when it closes. `build(form, close)` fills it. */
export function dialog(title, build) {
  const form = h('form', { method: 'dialog', novalidate: true });
  const heading = h('h2', { id: `d${++fieldCount}` }, title);
  const dlg = h('dialog', { 'aria-labelledby': heading.id }, heading, form);
  document.body.append(dlg);
  const close = () => { dlg.close(); dlg.remove(); };
  dlg.addEventListener('cancel', () => dlg.remove());
  build(form, close);
  dlg.showModal();
  return dlg;
}

export function mib(m) { return m >= 1024 ? `${m / 1024} GiB` : `${m} MiB`; }

/** Asks before something that cannot be undone; `run()` does it, and its failure is shown in the dialog. */
export function confirmDialog(title, message, label, run) {
  dialog(title, (form, close) => {
    const submit = h('button', { type: 'submit', class: 'danger' }, label);
    form.append(h('p', {}, message), h('div', { class: 'banner-slot' }),
      h('div', { class: 'actions' }, submit, h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      submit.disabled = true;
      try {
        await run();
        close();
      } catch (error) {
        showErrors(form, error);
        submit.disabled = false;
      }
    });
  });
}

/** Asks for a new name; `save(name)` sends it, and its failure (a field error under the name) stays in the dialog. */
export function renameDialog(title, current, save) {
  dialog(title, (form, close) => {
    const name = h('input', { name: 'name', value: current, required: true, autocomplete: 'off', spellcheck: 'false' });
    form.append(h('div', { class: 'banner-slot' }), field('New name', name),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Rename'), h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      clearErrors(form);
      try {
        await save(name.value);
        close();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
}

/** A resource's recent actions, newest first (the API lists them oldest first), as the VM and volume pages show them. */
export function actionHistory(slot, actions) {
  clear(slot, h('h2', { id: 'history-h' }, 'Recent actions'), actions.length === 0 ? h('p', { class: 'muted' }, 'None yet.') :
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Recent actions' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Action', 'Status', 'Started', 'Completed', 'Error'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, [...actions].reverse().map(a => h('tr', {},
        h('td', {}, a.type), h('td', {}, statusBadge(a.status)), h('td', {}, time(a.started_at)),
        h('td', {}, time(a.completed_at)), h('td', {}, a.error || '')))))));
}
