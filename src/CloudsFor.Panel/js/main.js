// The panel's entry: who is signed in, the shell (navigation, sign-out), and the client-side routes.
import { api, get, del, useSession, whenSignedOut } from './api.js';
import { h, clear, banner, showErrors, field, clearErrors } from './ui.js';
import { vmList } from './vms.js';
import { vmCreate } from './create.js';
import { vmPage } from './vm.js';
import { accountPage } from './pages.js';
import { actionsPage } from './actions.js';
import { tokensPage } from './tokens.js';
import { imagesPage } from './images.js';
import { usersPage } from './users.js';
import { domainsPage, domainPage } from './domains.js';
import { keysPage } from './keys.js';
import { volumesPage } from './volumes.js';
import { volumePage } from './volume.js';
import { tagsPage, tagPage } from './tags.js';
import { snapshotsPage } from './snapshots.js';

const app = document.getElementById('app');
let session = null;
let leave = null; // stops the current page's live updates

const NAV = [
  ['/vms', 'VMs'], ['/volumes', 'Volumes'], ['/snapshots', 'Snapshots'], ['/actions', 'Actions'], ['/images', 'Images'], ['/domains', 'Domains'], ['/tags', 'Tags'],
  ['/keys', 'SSH keys'], ['/tokens', 'Tokens'], ['/account', 'Account'], ['/users', 'Users', true],
];

const ROUTES = [
  [/^\/(vms)?$/, () => vmList],
  [/^\/vms\/new$/, () => vmCreate],
  [/^\/vms\/([0-9a-f]{32})$/, () => vmPage],
  [/^\/actions$/, () => actionsPage],
  [/^\/images$/, () => imagesPage],
  [/^\/domains$/, () => domainsPage],
  [/^\/domains\/([^/]+)$/, () => domainPage],
  [/^\/keys$/, () => keysPage],
  [/^\/volumes$/, () => volumesPage],
  [/^\/volumes\/([0-9a-f]{32})$/, () => volumePage],
  [/^\/snapshots$/, () => snapshotsPage],
  [/^\/tags$/, () => tagsPage],
  [/^\/tags\/([^/]+)$/, () => tagPage],
  [/^\/tokens$/, () => tokensPage],
  [/^\/account$/, () => accountPage],
  [/^\/users$/, () => usersPage],
];

export function navigate(path, replace = false) {
  if (replace) history.replaceState(null, '', path); else history.pushState(null, '', path);
  render();
}

async function start() {
  whenSignedOut(() => { if (session) { session = null; useSession(null); render(); } });
  try {
    session = (await get('/sessions/current')).session;
    useSession(session);
  } catch {
    session = null;
  }
  render();
}

function render() {
  leave?.();
  leave = null;
  if (!session) return signIn();
  const path = location.pathname;
  const nav = NAV.filter(([, , admin]) => !admin || session.is_admin);
  const main = h('main', { id: 'main', tabindex: '-1' });
  clear(app,
    h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
    h('header', { class: 'top' },
      h('a', { class: 'brand', href: '/vms', 'data-link': true }, h('span', { 'aria-hidden': 'true', class: 'logo' }), 'CloudsFor'),
      h('nav', { 'aria-label': 'Main' }, h('ul', {}, nav.map(([href, label]) =>
        h('li', {}, h('a', { href, 'data-link': true, 'aria-current': path === href || path.startsWith(href + '/') || (href === '/vms' && path === '/') ? 'page' : null }, label))))),
      h('div', { class: 'who' }, h('span', { class: 'username' }, session.username),
        h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Sign out'))),
    main);
  const route = ROUTES.find(([re]) => re.test(path));
  if (!route) {
    main.append(h('h1', {}, 'Not found'), h('p', {}, 'There is no page here. ', h('a', { href: '/vms', 'data-link': true }, 'Go to your VMs.')));
    return;
  }
  const params = path.match(route[0]).slice(1);
  const page = route[1]();
  leave = page(main, { params, session, navigate }) || null;
}

async function signOut() {
  try {
    await del('/sessions/current');
  } catch (e) {
    // A 401 means the session had already ended on the server (and api() has signed the page out). Any other
    // failure left the session alive there, so the page says so and stays signed in rather than pretend.
    if (e.status !== 401) {
      document.getElementById('main')?.prepend(banner(e));
      return;
    }
  }
  session = null;
  useSession(null);
  history.replaceState(null, '', '/');
  render();
}

function signIn() {
  document.title = 'Sign in · CloudsFor';
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'card signin', novalidate: true },
    h('h1', {}, h('span', { 'aria-hidden': 'true', class: 'logo' }), 'Sign in to CloudsFor'),
    h('div', { class: 'banner-slot' }),
    field('Username', username), field('Password', password), submit);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    submit.disabled = true;
    try {
      session = (await api('POST', '/sessions', { username: username.value, password: password.value })).session;
      useSession(session);
      if (location.pathname === '/signin') history.replaceState(null, '', '/vms');
      render();
    } catch (error) {
      if (error.status === 401) error.message = 'The username or password is wrong.';
      if (error.status === 429 && error.retryAfter) {
        error.message = `Too many failed sign-ins for this username. It is locked for now: try again in ${lockText(error.retryAfter)}.`;
      }
      showErrors(form, error);
      password.value = '';
      submit.disabled = false;
    }
  });
  clear(app, h('main', { id: 'main', class: 'signin-page' }, form));
  username.focus();
}

function lockText(seconds) {
  return seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
}

// Links inside the panel change the page without a reload.
document.addEventListener('click', e => {
  const a = e.target.closest?.('a[data-link]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', render);

// A failure no page caught: shown, never silent.
window.addEventListener('unhandledrejection', e => {
  const main = document.getElementById('main');
  if (main) main.prepend(banner(e.reason));
});

start();
