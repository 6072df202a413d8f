// Devices: search the inventory with the rollouts' filter language, and one device — its attributes, installed and
// target release (from the device-gateway's open action), when it was last seen, its latest health report (from
// telemetry-service) and its action history; an operator cancels the device's pending action with a reason (the
// gateway withdraws it, or asks the device through DDI's cancelAction; the history names who asked and why) and
// switches its auto-confirm (hawkBit's consent flow: on, actions waiting for the device's confirmation go ahead).
import { h, clear, table, field, when, stateTag, error, toast, every, actionButton } from './ui.js';
import { call, get, post, seg, query } from './api.js';
import { can } from './session.js';

const BASE = '/rollout/api/v1/devices';
const OPEN = ['QUEUED', 'PENDING', 'RETRIEVED', 'RUNNING', 'CANCELING'];
const CANCELABLE = ['QUEUED', 'PENDING', 'RETRIEVED', 'RUNNING'];
const GATEWAY = '/gateway/api/v1/devices/';
const HEALTH = '/telemetry/api/v1/devices/';

/** Healthy / unhealthy as a tag, from a health view; a device that never reported shows a dash. */
function healthTag(health) {
  if (!health) return h('span', { class: 'muted' }, '—');
  return health.healthy ? h('span', { class: 'tag ok' }, 'healthy') : h('span', { class: 'tag state-failed' }, 'unhealthy');
}

export async function list(main, params) {
  const filter = h('input', { type: 'search', name: 'filter', id: 'device-filter', value: params.get('filter') || '', spellcheck: 'false', placeholder: 'model == "gw-200" and version < "2.0.0"' });
  const model = h('input', { type: 'text', name: 'model', id: 'device-model', value: params.get('model') || '' });
  const results = h('div', { id: 'device-results' });
  clear(main, h('h1', {}, 'Devices'),
    h('form', { class: 'search', role: 'search', onsubmit: e => {
      e.preventDefault();
      location.hash = '#/devices' + query({ filter: filter.value, model: model.value });
    } }, field('Filter', filter, 'the rollouts\' filter language'), field('Model', model), h('button', { type: 'submit' }, 'Search')),
    results);
  let cursor = null;
  const rows = [];
  const pages = []; // the device ids of each loaded page: one health batch per page
  const health = new Map();
  let healthError = null;
  const more = h('button', { type: 'button', id: 'more-devices', hidden: true }, 'Load more');
  const render = () => clear(results, healthError ? error(healthError) : null, table('Devices by id', [
    { label: 'Device', cell: d => h('a', { href: '#/devices/' + seg(d.deviceId) }, d.deviceId) },
    { label: 'Cohort', cell: d => h('code', {}, d.cohort) },
    { label: 'Installed', cell: d => d.installedVersion || '' },
    { label: 'Last seen', cell: d => when(d.lastSeen) },
    { label: 'Health', cell: d => healthTag(health.get(d.deviceId)) },
  ], rows, d => ({ dataset: { device: d.deviceId } })), more);
  // one POST per page of (at most 100) devices, never one request per row
  const readHealth = async ids => {
    if (!ids.length) return;
    try {
      const batch = await post(HEALTH + 'health/batch', { deviceIds: ids });
      for (const id of batch.neverReported || []) health.delete(id);
      for (const d of batch.devices || []) health.set(d.deviceId, d);
      healthError = null;
    } catch (e) {
      healthError = e;
    }
  };
  const load = async () => {
    const { data } = await call(BASE + query({ filter: params.get('filter'), model: params.get('model'), limit: 100, cursor }));
    rows.push(...data.items);
    cursor = data.nextCursor;
    more.hidden = !cursor;
    const ids = data.items.map(d => d.deviceId);
    pages.push(ids);
    await readHealth(ids);
    render();
  };
  more.addEventListener('click', () => load().catch(e => toast(e.message)));
  try {
    await load();
  } catch (e) {
    clear(results, error(e));
    return undefined;
  }
  // live: the loaded pages' health again every 5 s, a batch per page
  return every(5000, async () => {
    for (const ids of pages) await readHealth(ids);
    render();
  }, { now: false });
}

/** The gateway's auto-confirm state as a line: "on (by X, remark, since T)" / "off"; null: the gateway has no such device. */
function autoConfirmText(auto) {
  if (!auto) return 'unknown at the gateway (never in contact)';
  if (auto.error) return auto.error.message;
  if (!auto.active) return 'off';
  return 'on (' + ['by ' + (auto.initiator || 'unknown'), auto.remark, auto.activatedAt ? 'since ' + when(auto.activatedAt) : null]
    .filter(Boolean).join(', ') + ')';
}

export async function detail(main, id) {
  const device = await get(BASE + '/' + seg(id));
  const facts = h('dl', { class: 'facts', id: 'device-facts' });
  const actions = h('section', { id: 'device-actions' });
  const history = h('section', { id: 'device-history' });
  const healthBox = h('section', { id: 'device-health' });
  const cancelBox = h('div', { id: 'device-cancel' });
  const cancelResult = h('p', { id: 'cancel-result', role: 'status', 'aria-live': 'polite' });
  // made once: the 3-second refresh must not wipe what the operator is typing
  const cancelReason = h('input', { type: 'text', id: 'cancel-reason', maxlength: 1000 });
  let cancelShown = null;
  const autoBox = h('div', { id: 'device-auto-confirm' });
  const autoResult = h('p', { id: 'auto-confirm-result', role: 'status', 'aria-live': 'polite' });
  let autoShown = null;
  clear(main, h('p', { class: 'crumbs' }, h('a', { href: '#/devices' }, 'Devices'), ' / ', id),
    h('h1', { id: 'device-title' }, id), facts, cancelBox, cancelResult, autoBox, autoResult, healthBox,
    h('h2', {}, 'Attributes'),
    table('Attributes the device reported', [
      { label: 'Name', cell: ([k]) => k },
      { label: 'Value', cell: ([, v]) => v },
    ], Object.entries(device.attributes || {}).sort()),
    actions, history);

  async function refresh() {
    const [d, gw, hist, health, auto] = await Promise.all([
      get(BASE + '/' + seg(id)),
      get(GATEWAY + seg(id)).catch(e => ({ error: e })),
      get(BASE + '/' + seg(id) + '/history?limit=500').catch(e => ({ error: e })),
      get(HEALTH + seg(id) + '/health').catch(e => (e.status === 404 ? null : { error: e })),
      get(GATEWAY + seg(id) + '/auto-confirm').catch(e => (e.status === 404 ? null : { error: e })),
    ]);
    const open = gw && !gw.error ? (gw.actions || []).filter(a => OPEN.includes(a.status)).sort((a, b) => b.actionId - a.actionId)[0] : null;
    clear(facts,
      h('dt', {}, 'Cohort'), h('dd', {}, h('code', {}, d.cohort)),
      h('dt', {}, 'Installed release'), h('dd', { id: 'installed' }, d.installedVersion || 'unknown',
        d.installedReleaseId ? [' ', h('a', { href: '#/releases/' + seg(d.installedReleaseId) }, 'release')] : null),
      h('dt', {}, 'Target release'), h('dd', { id: 'target' }, open
        ? [open.version + ' ', stateTag(open.status), ' ', h('a', { href: '#/rollouts/' + seg(open.rolloutId) }, 'rollout')]
        : 'none (no open action)'),
      h('dt', {}, 'Last seen'), h('dd', { id: 'last-seen' }, when(d.lastSeen) || 'never'),
      h('dt', {}, 'Auto-confirm'), h('dd', { id: 'auto-confirm', dataset: { active: auto && !auto.error ? String(auto.active) : '' } },
        autoConfirmText(auto)));
    clear(healthBox, h('h2', {}, 'Health'), health && health.error ? error(health.error) : !health
      ? h('p', { id: 'health-none' }, 'The device never reported its health.')
      : [h('dl', { class: 'facts', id: 'health-facts' },
        h('dt', {}, 'Status'), h('dd', { id: 'health-status' }, healthTag(health)),
        h('dt', {}, 'Boot ok'), h('dd', { id: 'health-boot' }, health.bootOk ? 'yes' : 'no'),
        h('dt', {}, 'Crashes'), h('dd', { id: 'health-crashes' }, String(health.crashCount)),
        h('dt', {}, 'App healthy'), h('dd', { id: 'health-app' }, health.appHealthy ? 'yes' : 'no'),
        h('dt', {}, 'Reported at'), h('dd', { id: 'health-at' }, when(health.reportedAt))),
      Object.keys(health.metrics || {}).length ? table('Metrics the device reported', [
        { label: 'Metric', cell: ([k]) => k },
        { label: 'Value', cell: ([, v]) => String(v), class: 'num' },
      ], Object.entries(health.metrics).sort(), ([k]) => ({ dataset: { metric: k } })) : null]);
    const cancelable = can('operator') && open && CANCELABLE.includes(open.status);
    const shown = cancelable ? open.actionId + ':' + open.status : null;
    if (shown !== cancelShown) { // re-made only when the action changes, so a reason being typed stays
      cancelShown = shown;
      clear(cancelBox, cancelable ? [field('Reason for the cancel', cancelReason, 'optional; kept in the device\'s history with your name'),
        actionButton('Cancel pending action', async () => {
          if (!confirm('Cancel action ' + open.actionId + ' (' + open.version + ') of ' + id + '?')) return;
          const reason = cancelReason.value.trim();
          const a = await post(GATEWAY + seg(id) + '/actions/' + seg(open.actionId) + '/cancel', reason ? { reason } : {});
          cancelReason.value = '';
          cancelResult.textContent = 'Action ' + a.actionId + ': ' + a.status.replace(/_/g, ' ') + (a.status === 'CANCELING'
            ? ' — the device is asked at its next poll; its answer decides (a device that already installed keeps its result).'
            : ' — withdrawn before the device fetched it.');
          await refresh();
        }, { id: 'cancel-action', 'aria-describedby': 'cancel-result' })] : null);
    }
    const switchable = can('operator') && auto && !auto.error;
    const autoNow = switchable ? String(auto.active) : null;
    if (autoNow !== autoShown) { // re-made only when the state changes: a refresh never swaps the button mid-click
      autoShown = autoNow;
      clear(autoBox, switchable ? actionButton(auto.active ? 'Switch auto-confirm off' : 'Switch auto-confirm on', async () => {
        const on = !auto.active;
        if (on && !confirm('Switch auto-confirm on for ' + id + '? Actions waiting for its confirmation go ahead now.')) return;
        const now = await post(GATEWAY + seg(id) + '/auto-confirm/' + (on ? 'activate' : 'deactivate'), {});
        autoResult.textContent = 'Auto-confirm ' + autoConfirmText(now) + (now.active
          ? ': what waits for the device\'s confirmation is offered at its next poll.'
          : ': actions that require confirmation ask the device again.');
        await refresh();
      }, { id: 'auto-confirm-switch', 'aria-describedby': 'auto-confirm auto-confirm-result' }) : null);
    }
    clear(actions, h('h2', {}, 'Actions at the gateway'), gw && gw.error ? error(gw.error) : table('Actions the gateway holds for this device', [
      { label: 'Action', cell: a => String(a.actionId), class: 'num' },
      { label: 'Status', cell: a => stateTag(a.status) },
      { label: 'Version', cell: a => a.version || '' },
      { label: 'Rollout', cell: a => a.rolloutId ? h('a', { href: '#/rollouts/' + seg(a.rolloutId) }, a.rolloutId) : '' },
      { label: 'Updated', cell: a => when(a.updatedAt) },
      { label: 'Cancel asked by', cell: a => a.cancelRequestedBy ? a.cancelRequestedBy + (a.cancelReason ? ': ' + a.cancelReason : '') : '' },
    ], ((gw && gw.actions) || []).slice().sort((a, b) => b.actionId - a.actionId)));
    // device consent (issue 23): what a denial and a missed confirmation deadline mean, beside the service's words
    const note = e => (e.type === 'ACTION_DENIED' ? 'the device refused to confirm the install'
      : e.type === 'ACTION_EXPIRED' && e.reason === 'confirmation-deadline'
        ? 'the device neither confirmed nor denied the install before the rollout\'s confirmation deadline' : null);
    clear(history, h('h2', {}, 'History'), hist.error ? error(hist.error) : table('What happened to this device, oldest first', [
      { label: 'Time', cell: e => when(e.at) },
      { label: 'Event', cell: e => [e.type, note(e) ? h('span', { class: 'muted event-note' }, ' — ' + note(e)) : null] },
      { label: 'By', cell: e => e.actor },
      { label: 'Rollout', cell: e => e.rolloutId ? h('a', { href: '#/rollouts/' + seg(e.rolloutId) }, e.wave ? 'wave ' + e.wave : e.rolloutId) : '' },
      { label: 'Details', cell: e => [e.reason, e.details].filter(Boolean).join(' — ') },
    ], hist.entries || [], e => ({ dataset: { type: e.type } })));
  }
  await refresh();
  return every(3000, refresh, { now: false });
}
