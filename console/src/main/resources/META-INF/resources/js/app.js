// The console's shell: sign-in, the header, and a hash router (#/releases/…) that renders one page into <main>
// without reloading. A page's render() may return a function that stops its live updates when the page is left.
import { h, clear, field } from './ui.js';
import { signIn, signOut, user } from './session.js';
import * as releases from './releases.js';
import * as rollouts from './rollouts.js';
import * as wizard from './wizard.js';
import * as devices from './devices.js';
import * as tenants from './tenants.js';
import * as oidc from './oidc.js';

const main = document.getElementById('main');
let leave = null;
let generation = 0;
let provider = null;
let signInProblem = '';

const ROUTES = [
  [/^\/releases$/, p => releases.list(main, p)],
  [/^\/releases\/new$/, p => releases.publish(main, p)],
  [/^\/releases\/([^/]+)$/, (p, id) => releases.detail(main, id)],
  [/^\/rollouts$/, p => rollouts.list(main, p)],
  [/^\/rollouts\/new$/, p => wizard.render(main, p)],
  [/^\/rollouts\/([^/]+)$/, (p, id) => rollouts.detail(main, id)],
  [/^\/devices$/, p => devices.list(main, p)],
  [/^\/devices\/([^/]+)$/, (p, id) => devices.detail(main, id)],
  [/^\/tenants$/, p => tenants.list(main, p)],
  [/^\/tenants\/([^/]+)$/, (p, id) => tenants.detail(main, id)],
];

/** Who the data on every page belongs to: the token's tenant, or the platform for a platform administrator. */
function tenantLabel(u) {
  if (u.tenant) return 'Tenant ' + u.tenant;
  return u.roles.includes('platform-admin') ? 'Platform (no tenant)' : 'Tenant DEFAULT';
}

/** Where a signed-in operator starts: the tenants for a platform administrator (who has no tenant's data), else releases. */
function home() {
  const u = user();
  return u && u.roles.length === 1 && u.roles[0] === 'platform-admin' ? '#/tenants' : '#/releases';
}

function header() {
  const who = document.getElementById('who');
  const u = user();
  document.getElementById('nav-tenants').hidden = !(u && u.roles.includes('platform-admin'));
  if (!u) {
    clear(who);
    return;
  }
  clear(who,
    h('span', { id: 'tenant', class: 'tenant', title: u.tenant ? 'the tenant claim of your token: every page shows'
      + ' this tenant\'s data only' : 'your token names no tenant' }, tenantLabel(u)),
    ' ',
    h('span', { id: 'subject' }, u.subject),
    ' ',
    h('span', { id: 'roles', class: 'roles' }, u.roles.length ? u.roles.join(', ') : 'no console role'),
    ' ',
    h('button', { type: 'button', id: 'sign-out', onclick: () => { signOut(); location.hash = '#/signin'; route(); } }, 'Sign out'));
}

function signInPage(next) {
  const input = h('textarea', { id: 'token', rows: 5, required: true, spellcheck: 'false', autocomplete: 'off' });
  const message = h('p', { id: 'signin-error', class: 'error', role: 'alert' }, signInProblem);
  signInProblem = '';
  const withProvider = provider ? [
    h('p', {}, h('button', { type: 'button', id: 'oidc-sign-in', onclick: () => oidc.start(provider).catch(err => { message.textContent = err.message; }) },
      'Sign in with ' + new URL(provider.issuer).host)),
    h('p', { class: 'muted' }, 'or paste a token:')] : null;
  const form = h('form', { class: 'card narrow', onsubmit: e => {
    e.preventDefault();
    try {
      signIn(input.value);
      location.hash = next && next !== '#/signin' ? next : home();
      route();
    } catch (err) {
      message.textContent = err.message;
    }
  } },
  h('h1', {}, 'Sign in'),
  withProvider,
  h('p', {}, 'Paste a bearer token (JWT). Locally, ', h('code', {}, './updraft token'), ' mints one (',
    h('code', {}, '--tenant T'), ' for a tenant, ', h('code', {}, '--platform-admin'), ' to manage tenants); ',
    'its groups claim (viewer, operator, publisher, platform-admin) decides what you can do, its tenant claim whose data you see. ',
    'The token stays in this browser tab only: to work in another tenant, sign in with its token in another tab.'),
  field('Bearer token', input),
  message,
  h('button', { type: 'submit' }, 'Sign in'));
  clear(main, form);
  input.focus();
}

async function route() {
  if (leave) { leave(); leave = null; }
  header();
  const hash = location.hash || (user() ? home() : '#/releases');
  const [path, search] = hash.slice(1).split('?');
  const params = new URLSearchParams(search || '');
  document.querySelectorAll('nav a[data-nav]').forEach(a =>
    a.toggleAttribute('aria-current', path.startsWith('/' + a.dataset.nav)));
  if (!user()) {
    signInPage(location.hash);
    return;
  }
  if (path === '/signin') {
    location.hash = home();
    return;
  }
  for (const [pattern, render] of ROUTES) {
    const m = path.match(pattern);
    if (m) {
      clear(main, h('p', { class: 'muted' }, 'Loading…'));
      const args = m.slice(1).map(decodeURIComponent);
      const mine = ++generation;
      try {
        const stop = await render(params, ...args);
        // the address changed while this page loaded: another page owns <main> now, stop this one's updates
        if (mine !== generation) {
          if (typeof stop === 'function') stop();
          return;
        }
        if (typeof stop === 'function') leave = stop;
      } catch (e) {
        clear(main, h('p', { class: 'error', role: 'alert' }, e.message || String(e)));
      }
      main.focus({ preventScroll: true });
      return;
    }
  }
  clear(main, h('h1', {}, 'Not found'), h('p', {}, 'No page at ' + path + '.'));
}

async function init() {
  provider = await oidc.settings();
  try {
    await oidc.finish(provider);
  } catch (e) {
    signInProblem = e.message;
  }
  window.addEventListener('hashchange', route);
  route();
}

init();
