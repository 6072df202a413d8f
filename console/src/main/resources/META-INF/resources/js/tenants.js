// Tenants (ADR 0021), for a platform administrator: the registry of release-service (/api/v1/tenants) through the
// console's proxy — the list in id order ("Load more" follows Next-Cursor), a new tenant, and one tenant's quotas. The
// console decides nothing: release-service answers every other token 403, and its problem is shown as it is.
import { h, clear, table, field, when, error, toast } from './ui.js';
import { call, get, seg, query } from './api.js';

const BASE = '/release/api/v1/tenants';

/** The quota fields of the API, with their labels. */
const QUOTAS = [
  ['maxDevices', 'Max devices', 'devices the tenant may register', 'Devices'],
  ['maxArtifactBytes', 'Max artifact bytes', 'bytes of artifacts it may store: a number, or with KB/MB/GB/TB (powers of 1000) or KiB/MiB/GiB/TiB (1024), e.g. 5GB', 'Artifact bytes'],
  ['maxRolloutsInFlight', 'Max rollouts in flight', 'rollouts running at once', 'Rollouts in flight'],
  ['maxCommandsPerSecond', 'Max commands per second', 'commands sent to its devices a second', 'Commands/s'],
];

const SIZE = /^(\d+)\s*(?:([kmgt])(i)?b|b)?$/i;

/**
 * A quota field's text as the API's value, as JSON text: '' is unlimited ('null'); a size with a unit is bytes, read
 * as the CLI reads it (KB = 1000, KiB = 1024). Digits, not a number: bytes go up to 2^63-1, past what a JavaScript
 * number holds exactly.
 */
export function quotaJson(name, text) {
  const t = String(text || '').trim();
  if (t === '') return 'null';
  const m = name === 'maxArtifactBytes' ? t.match(SIZE) : t.match(/^(\d+)$/);
  if (!m) {
    throw new Error('"' + t + '" is not a whole number' + (name === 'maxArtifactBytes'
      ? ' of bytes (or with KB, MB, GB, TB, KiB, MiB, GiB, TiB)' : '') + ' — empty is unlimited');
  }
  let v = BigInt(m[1]);
  if (m[2]) v *= (m[3] ? 1024n : 1000n) ** BigInt('kmgt'.indexOf(m[2].toLowerCase()) + 1);
  return v.toString();
}

/** {"maxDevices":100,…} from field → JSON text. */
function quotasJson(quotas) {
  return '{' + Object.entries(quotas).map(([k, v]) => JSON.stringify(k) + ':' + v).join(',') + '}';
}

/** A quota as people read it: unlimited, a count, or bytes with their decimal size (as the CLI prints them). */
function quotaText(q, name) {
  const v = q ? q[name] : null;
  if (v === null || v === undefined) return 'unlimited';
  if (name !== 'maxArtifactBytes' || v < 1000) return String(v);
  const units = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let scaled = v / 1000;
  let unit = 0;
  while (scaled >= 1000 && unit < units.length - 1) { scaled /= 1000; unit++; }
  return v + ' (' + scaled.toFixed(1) + ' ' + units[unit] + ')';
}

export async function list(main, params) {
  const limit = params.get('limit') || 50;
  const results = h('div', { id: 'tenant-results' });
  const more = h('button', { type: 'button', id: 'more-tenants', hidden: true }, 'Load more');
  const rows = [];
  let cursor = null;
  const render = () => clear(results, table('Tenants, by id', [
    { label: 'Id', cell: t => h('a', { href: '#/tenants/' + seg(t.id) }, t.id) },
    { label: 'Name', cell: t => t.displayName },
    ...QUOTAS.map(([name, , , column]) => ({ label: column, cell: t => quotaText(t.quotas, name), class: 'num' })),
    { label: 'Version', cell: t => String(t.version), class: 'num' },
    { label: 'Updated', cell: t => when(t.updatedAt) },
  ], rows, t => ({ dataset: { tenant: t.id } })), more);
  const load = async () => {
    const { data, headers: answer } = await call(BASE + query({ limit, cursor }));
    rows.push(...data);
    cursor = answer.get('Next-Cursor');
    more.hidden = !cursor;
    render();
  };
  more.addEventListener('click', () => load().catch(e => toast(e.message)));

  const id = h('input', { type: 'text', id: 'new-tenant-id', required: true, maxlength: 40, autocomplete: 'off' });
  const name = h('input', { type: 'text', id: 'new-tenant-name', maxlength: 200 });
  const inputs = Object.fromEntries(QUOTAS.map(([q]) => [q, h('input', { type: 'text', id: 'new-tenant-' + q, inputmode: 'numeric', placeholder: 'unlimited' })]));
  const message = h('p', { id: 'new-tenant-error', class: 'error', role: 'alert' });
  const form = h('form', { class: 'card', id: 'new-tenant', onsubmit: async e => {
    e.preventDefault();
    message.textContent = '';
    try {
      const fields = [JSON.stringify('id') + ':' + JSON.stringify(id.value.trim())];
      if (name.value.trim()) fields.push(JSON.stringify('displayName') + ':' + JSON.stringify(name.value.trim()));
      const quotas = {};
      for (const [q] of QUOTAS) {
        const v = quotaJson(q, inputs[q].value);
        if (v !== 'null') quotas[q] = v;
      }
      if (Object.keys(quotas).length) fields.push('"quotas":' + quotasJson(quotas));
      const created = (await call(BASE, { method: 'POST', json: '{' + fields.join(',') + '}' })).data;
      toast('Created tenant ' + created.id);
      location.hash = '#/tenants/' + seg(created.id);
    } catch (err) {
      message.textContent = err.message;
    }
  } },
  h('h2', {}, 'New tenant'),
  field('Id', id, '1-40 of A-Z a-z 0-9 _ -, starting with a letter or digit; kept upper-case'),
  field('Display name', name, 'default: the id'),
  QUOTAS.map(([q, label, hint]) => field(label, inputs[q], hint + '; empty: unlimited')),
  message,
  h('button', { type: 'submit', id: 'create-tenant' }, 'Create tenant'));

  clear(main, h('div', { class: 'title' }, h('h1', {}, 'Tenants')), results, form);
  try {
    await load();
  } catch (e) {
    clear(results, error(e));
  }
}

export async function detail(main, id) {
  const tenant = await get(BASE + '/' + seg(id));
  const inputs = Object.fromEntries(QUOTAS.map(([q]) => [q, h('input', { type: 'text', id: 'quota-' + q, inputmode: 'numeric', placeholder: 'unlimited',
    value: tenant.quotas[q] === null || tenant.quotas[q] === undefined ? '' : String(tenant.quotas[q]) })]));
  const message = h('p', { id: 'quotas-error', class: 'error', role: 'alert' });
  const form = h('form', { class: 'card', id: 'quotas', onsubmit: async e => {
    e.preventDefault();
    message.textContent = '';
    try {
      // only what changed: a merge patch leaves the quotas another administrator set meanwhile as they are
      const patch = {};
      for (const [q] of QUOTAS) {
        const v = quotaJson(q, inputs[q].value);
        const was = tenant.quotas[q] === undefined || tenant.quotas[q] === null ? 'null' : String(tenant.quotas[q]);
        if (v !== was) patch[q] = v;
      }
      if (!Object.keys(patch).length) {
        message.textContent = 'Nothing changed.';
        return;
      }
      await call(BASE + '/' + seg(tenant.id) + '/quotas', { method: 'PATCH', json: quotasJson(patch),
        contentType: 'application/merge-patch+json' });
      toast('Saved the quotas of ' + tenant.id);
      await detail(main, id);
    } catch (err) {
      message.textContent = err.message;
    }
  } },
  h('h2', {}, 'Quotas'),
  h('p', { class: 'muted' }, 'Empty is unlimited. Only the quotas you change are sent.'),
  QUOTAS.map(([q, label, hint]) => field(label, inputs[q], hint)),
  message,
  h('button', { type: 'submit', id: 'save-quotas' }, 'Save quotas'));
  clear(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/tenants' }, 'Tenants')),
    h('div', { class: 'title' }, h('h1', { id: 'tenant-title' }, tenant.id)),
    h('dl', { class: 'facts', id: 'tenant-facts' },
      h('dt', {}, 'Display name'), h('dd', { id: 'tenant-name' }, tenant.displayName),
      h('dt', {}, 'Version'), h('dd', { id: 'tenant-version' }, String(tenant.version)),
      h('dt', {}, 'Created'), h('dd', {}, when(tenant.createdAt)),
      h('dt', {}, 'Updated'), h('dd', {}, when(tenant.updatedAt))),
    form);
}
