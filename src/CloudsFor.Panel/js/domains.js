// Domains (DNS zones): the list with a form to add one and a typed-name delete; one domain's records, filtered by type
// and name, added and edited through a form that shows the fields of the record's type; the zone file with a Copy button.
import { get, post, put, del, query } from './api.js';
import { h, clear, banner, showBanner, field, showErrors, clearErrors, dialog, confirmDialog, link } from './ui.js';
import { listPage } from './pages.js';

const PER_PAGE = 200;
const ADDABLE = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA'];
const NAME_HINT = 'Relative to the domain: www, @ for the domain itself, * as the first label for a wildcard. Ending in a dot: fully qualified.';

// What each type takes besides name and TTL (the server's rules, Model/DnsRecordRules.cs): the data's label and hint,
// and the extra fields it requires; every other extra field is refused with a 422, so the form leaves it out.
const TYPES = {
  A: { data: ['IPv4 address', 'Four numbers 0-255 separated by dots, such as 192.0.2.10.'] },
  AAAA: { data: ['IPv6 address', 'Such as 2001:db8::10.'] },
  CNAME: { data: ['Target name', 'A fully qualified name such as example.org, or @ for this domain. Not at @, and alone at its name.'] },
  MX: { data: ['Mail server', 'A fully qualified host name such as mail.example.org, @ for this domain, or . for "no mail".'], extra: ['priority'] },
  TXT: { data: ['Text', 'Any text up to 4096 bytes, no control characters (such as v=spf1 -all).'], long: true },
  NS: { data: ['Name server', 'A fully qualified host name. Below @ it delegates the name to that server.'] },
  SRV: { data: ['Target', 'A fully qualified host name, or . for "no such service". The name is _service._protocol, such as _sip._tcp.'], extra: ['priority', 'weight', 'port'] },
  CAA: { data: ['Value', 'issue/issuewild: a CA domain such as letsencrypt.org, or ; to forbid issuance. iodef: a mailto: or https: URL.'], extra: ['flags', 'tag'] },
  SOA: { data: ['SOA data', 'MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM. The serial is the server\'s: it changes with every change, whatever is sent.'] },
};

const EXTRA = {
  priority: ['Priority', 'From 0 to 65535; lower is preferred.'],
  weight: ['Weight', 'From 0 to 65535; among equal priorities, a higher weight gets more traffic.'],
  port: ['Port', 'From 0 to 65535.'],
  flags: ['Flags', 'From 0 to 255; 128 makes the record critical. Empty: 0.'],
};
const NUMBERS = ['priority', 'weight', 'port', 'flags', 'ttl'];

const path = name => `/domains/${encodeURIComponent(name)}`;

export function domainsPage(main) {
  const form = addDomainForm(() => reload());
  const reload = listPage(main, {
    title: 'Domains', path: '/domains', root: 'domains', empty: 'No domains yet.',
    intro: 'A domain is a DNS zone the server answers for. Open one to manage its records and see its zone file.',
    before: [form, h('h2', {}, 'Your domains')],
    columns: [['Name', d => link(path(d.name), d.name)], ['TTL', d => `${d.ttl} s`], ['Records', d => recordCount(d.zone_file)],
      ['Delete', d => h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${d.name}`, onclick: () => deleteDomain(d.name, reload) }, 'Delete…')]],
  });
}

// The zone file has a line per record after $ORIGIN and $TTL (TXT data cannot hold a line break), so it counts them
// without a request per domain.
function recordCount(zoneFile) {
  return (zoneFile || '').split('\n').filter(line => line && !line.startsWith('$')).length;
}

function addDomainForm(added) {
  const name = h('input', { name: 'name', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none', required: true });
  const ip = h('input', { name: 'ip_address', autocomplete: 'off', spellcheck: 'false', inputmode: 'decimal' });
  const ttl = h('input', { name: 'ttl', type: 'number', min: 30, step: 1, inputmode: 'numeric' });
  const said = h('p', { class: 'muted small', role: 'status' });
  const submit = h('button', { type: 'submit' }, 'Add domain');
  const form = h('form', { class: 'card create', novalidate: true, 'aria-labelledby': 'new-domain-h' },
    h('h2', { id: 'new-domain-h' }, 'Add domain'), h('div', { class: 'banner-slot' }),
    field('Domain name', name, 'Such as example.com; international names are fine (stored in punycode).'),
    h('div', { class: 'row' },
      field('IP address (optional)', ip, 'IPv4 or IPv6: adds an A or AAAA record for the domain itself.'),
      field('TTL in seconds (optional)', ttl, 'At least 30. Empty: 1800. Records take it unless they say otherwise.')),
    h('div', { class: 'actions' }, submit), said);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    said.textContent = '';
    const body = { name: name.value.trim() };
    if (ip.value.trim()) body.ip_address = ip.value.trim();
    if (ttl.value !== '') body.ttl = Number(ttl.value);
    submit.disabled = true;
    try {
      const { domain } = await post('/domains', body);
      form.reset();
      said.textContent = `Added ${domain.name}.`;
      added(domain);
    } catch (error) {
      showErrors(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** Deletes a domain once its name is typed: every record goes with it, and the DNS server stops answering for it. */
function deleteDomain(name, done) {
  dialog('Delete domain', (form, close) => {
    const typed = h('input', { name: 'confirm', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' });
    const submit = h('button', { type: 'submit', class: 'danger', disabled: true }, 'Delete for ever');
    typed.addEventListener('input', () => { submit.disabled = typed.value !== name; });
    form.append(h('p', {}, 'This deletes ', h('strong', {}, name), ' and all its records; the DNS server stops answering for it.'),
      h('div', { class: 'banner-slot' }), field(`Type the domain's name, ${name}, to confirm`, typed),
      h('div', { class: 'actions' }, submit, h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      if (typed.value !== name) return;
      submit.disabled = true;
      try {
        await del(path(name));
        close();
        done();
      } catch (error) {
        showErrors(form, error);
        submit.disabled = false;
      }
    });
  });
}

export function domainPage(main, { params, navigate }) {
  const name = decodeURIComponent(params[0]);
  document.title = `${name} · CloudsFor`;
  const slot = h('div', { class: 'banner-slot' });
  const state = { type: '', name: '', page: 1 };

  const typeFilter = h('select', { name: 'type' }, h('option', { value: '' }, 'All types'), Object.keys(TYPES).map(t => h('option', { value: t }, t)));
  const nameFilter = h('input', { name: 'name', type: 'search', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' });
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter records' },
    field('Type', typeFilter, 'Changes the list at once.'), field('Record name', nameFilter, 'Exact: www, @, or the full name.'), h('button', { type: 'submit', class: 'secondary' }, 'Filter'));
  filters.addEventListener('submit', e => {
    e.preventDefault();
    Object.assign(state, { type: typeFilter.value, name: nameFilter.value.trim(), page: 1 });
    loadRecords();
  });
  typeFilter.addEventListener('change', () => filters.requestSubmit());

  const results = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading records…'));
  const zone = h('pre', { class: 'zone-file', tabindex: '0', 'aria-label': `Zone file of ${name}` }, '…');
  const said = h('span', { class: 'muted small', role: 'status' });
  const copy = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try {
      await navigator.clipboard.writeText(zone.textContent);
      said.textContent = 'Copied.';
    } catch {
      // No clipboard (an old browser, or permission refused): select the text so a keyboard copy takes it.
      getSelection().selectAllChildren(zone);
      said.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  } }, 'Copy zone file');
  const ttlLine = h('p', { class: 'muted' }, '\u00a0');

  clear(main,
    h('p', { class: 'crumbs' }, link('/domains', 'Domains'), ' / '),
    h('div', { class: 'page-head' }, h('h1', {}, name)), ttlLine, slot,
    h('section', { 'aria-labelledby': 'records-h' }, h('h2', { id: 'records-h' }, 'Records'), filters, results),
    addRecordForm(name, changed),
    h('section', { 'aria-labelledby': 'zone-h' }, h('h2', { id: 'zone-h' }, 'Zone file'),
      h('p', { class: 'muted' }, 'The zone as an RFC 1035 master file, rebuilt on every change.'),
      h('div', { class: 'secret-line' }, copy, said), zone),
    h('section', { 'aria-labelledby': 'danger-h', class: 'danger' }, h('h2', { id: 'danger-h' }, 'Delete'),
      h('p', {}, 'Deleting a domain deletes all its records.'),
      h('button', { type: 'button', class: 'danger', onclick: () => deleteDomain(name, () => navigate('/domains')) }, 'Delete domain…')));

  function changed() { loadRecords(); loadZone(); }

  async function loadZone() {
    try {
      const { domain } = await get(path(name));
      ttlLine.textContent = `Records without a TTL of their own take the domain's: ${domain.ttl} seconds.`;
      zone.textContent = domain.zone_file;
    } catch (error) {
      if (error.status === 404) {
        clear(main, h('h1', {}, 'Domain not found'), h('p', {}, 'It does not exist, or it was deleted. ', link('/domains', 'Back to your domains.')));
      } else showBanner(slot, error);
    }
  }

  let loading = 0;
  async function loadRecords() {
    const mine = ++loading;
    try {
      const data = await get(`${path(name)}/records` + query({ type: state.type, name: state.name, page: state.page, per_page: PER_PAGE }));
      if (mine !== loading) return;
      const records = data.domain_records;
      const pages = Math.max(1, Math.ceil((data.meta?.total ?? records.length) / PER_PAGE));
      if (records.length === 0) return clear(results, h('p', { class: 'empty' }, state.type || state.name ? 'No records match.' : 'No records.'));
      clear(results, recordTable(name, records, { edit: r => editRecord(name, r, changed), remove: r => deleteRecord(name, r, changed) }),
        pages > 1 ? h('nav', { class: 'pager', 'aria-label': 'Pages' },
          h('button', { type: 'button', class: 'secondary', disabled: state.page <= 1, onclick: () => { state.page--; loadRecords(); } }, 'Previous'),
          h('span', {}, `Page ${state.page} of ${pages}`),
          h('button', { type: 'button', class: 'secondary', disabled: state.page >= pages, onclick: () => { state.page++; loadRecords(); } }, 'Next')) : null);
    } catch (error) {
      if (mine === loading && error.status !== 404) clear(results, banner(error));
    }
  }

  changed();
}

/** The records as a table; the columns of the extra fields appear only when a listed record uses them. */
function recordTable(domain, records, { edit, remove }) {
  const extras = ['priority', 'weight', 'port', 'flags', 'tag'].filter(f => records.some(r => r[f] !== null && r[f] !== undefined));
  const label = r => `${r.type} record ${r.name} ${short(r.data)}`;
  const columns = [
    ['Type', r => r.type], ['Name', r => r.name], ['Data', r => h('span', { class: 'mono record-data' }, r.data)],
    ...extras.map(f => [f === 'tag' ? 'Tag' : EXTRA[f][0], r => r[f] ?? '']),
    ['TTL (s)', r => r.ttl],
    ['Manage', r => h('span', { class: 'row-buttons' },
      h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${label(r)}`, onclick: () => edit(r) }, 'Edit…'),
      r.type === 'SOA'
        ? h('span', { class: 'reason' }, 'Cannot be deleted: it goes with the domain.')
        : h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${label(r)}`, onclick: () => remove(r) }, 'Delete…'))],
  ];
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': `Records of ${domain}` }, h('table', { class: 'records' },
    h('thead', {}, h('tr', {}, columns.map(([c]) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, records.map(r => h('tr', {}, columns.map(([, cell]) => h('td', {}, cell(r))))))));
}

function short(text) { return text.length > 40 ? text.slice(0, 39) + '…' : text; }

/**
 * The fields of one record type, named as the API names them (so its field errors land under them), prefilled from
 * `record` when given. Returns the elements and a function that reads the body to send.
 */
function typeFields(type, record) {
  const spec = TYPES[type];
  const value = f => record?.[f] ?? '';
  const controls = {};
  const parts = [];
  if (type !== 'SOA') {
    controls.name = h('input', { name: 'name', value: record ? record.name : '@', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' });
    parts.push(field('Name', controls.name, type === 'SRV' ? '_service._protocol, then optionally a name: such as _sip._tcp or _sip._tcp.office.' : NAME_HINT));
  }
  if (type === 'CAA') {
    controls.tag = h('select', { name: 'tag' }, ['issue', 'issuewild', 'iodef'].map(t => h('option', { value: t, selected: value('tag') === t }, t)));
    parts.push(field('Tag', controls.tag, 'issue: who may issue certificates; issuewild: wildcard ones; iodef: where to report.'));
  }
  controls.data = spec.long
    ? h('textarea', { name: 'data', rows: 3, spellcheck: 'false' }, value('data'))
    : h('input', { name: 'data', value: value('data'), autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' });
  parts.push(field(spec.data[0], controls.data, spec.data[1]));
  const numbers = [];
  for (const f of (spec.extra || []).filter(f => f !== 'tag')) {
    controls[f] = h('input', { name: f, type: 'number', min: 0, max: f === 'flags' ? 255 : 65535, step: 1, inputmode: 'numeric', value: value(f) });
    numbers.push(field(EXTRA[f][0], controls[f], EXTRA[f][1]));
  }
  controls.ttl = h('input', { name: 'ttl', type: 'number', min: 30, step: 1, inputmode: 'numeric', value: value('ttl') });
  numbers.push(field('TTL in seconds', controls.ttl, 'At least 30. Empty: the domain\'s TTL.'));
  parts.push(h('div', { class: 'row' }, numbers));

  function body() {
    const b = { type, name: type === 'SOA' ? '@' : controls.name.value.trim() };
    for (const [f, control] of Object.entries(controls)) {
      if (f === 'name') continue;
      if (NUMBERS.includes(f)) {
        // A number input holds '' for anything that is not a number: sent as text, the API says what is wrong.
        if (control.value !== '') b[f] = Number(control.value);
        else if (control.validity.badInput) b[f] = 'not a number';
      } else b[f] = f === 'data' && !spec.long ? control.value.trim() : control.value;
    }
    return b;
  }
  return { parts, body };
}

function addRecordForm(domain, changed) {
  const type = h('select', { name: 'type' }, ADDABLE.map(t => h('option', { value: t }, t)));
  const slotFields = h('div', {});
  const said = h('p', { class: 'muted small', role: 'status' });
  const submit = h('button', { type: 'submit' }, 'Add record');
  const form = h('form', { class: 'card create record-form', novalidate: true, 'aria-labelledby': 'new-record-h' },
    h('h2', { id: 'new-record-h' }, 'Add record'), h('div', { class: 'banner-slot' }),
    field('Type', type, 'The form shows the fields this type takes.'), slotFields, h('div', { class: 'actions' }, submit), said);
  let current = null;
  function build() {
    clearErrors(form);
    current = typeFields(type.value, null);
    clear(slotFields, current.parts);
  }
  type.addEventListener('change', build);
  build();
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    said.textContent = '';
    submit.disabled = true;
    try {
      const { domain_record: r } = await post(`${path(domain)}/records`, current.body());
      said.textContent = `Added the ${r.type} record ${r.name}.`;
      build();
      changed();
    } catch (error) {
      showErrors(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function editRecord(domain, record, changed) {
  dialog(`Edit ${record.type} record`, (form, close) => {
    const fields = typeFields(record.type, record);
    const submit = h('button', { type: 'submit' }, 'Save');
    form.append(h('div', { class: 'banner-slot' }), ...fields.parts,
      h('div', { class: 'actions' }, submit, h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      clearErrors(form);
      submit.disabled = true;
      try {
        await put(`${path(domain)}/records/${record.id}`, fields.body());
        close();
        changed();
      } catch (error) {
        showErrors(form, error);
        submit.disabled = false;
      }
    });
  });
}

function deleteRecord(domain, record, changed) {
  confirmDialog('Delete record', ['Delete the ', h('strong', {}, `${record.type} record ${record.name}`), ' → ', h('code', {}, short(record.data)),
    '? DNS answers change at once. This cannot be undone.'], 'Delete', async () => { await del(`${path(domain)}/records/${record.id}`); changed(); });
}
