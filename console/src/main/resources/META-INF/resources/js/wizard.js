// A new rollout: pick a release, write a target filter and the waves; the rollout-service's own preview
// (POST /api/v1/rollouts/preview, nothing stored) shows, as you type, how many devices match, per hardware cohort and
// per wave. The equivalent `updraft rollout create` command line is shown for CI. Waves are cumulative percentages
// (--waves), percentage waves each with its own options (--wave) or explicit groups by filter (--group): the two
// latter as rows the operator adds, removes and reorders.
import { h, clear, table, field, error, toast } from './ui.js';
import { get, post, seg } from './api.js';
import { can } from './session.js';

const BASE = '/rollout/api/v1/rollouts';

// rollout-service's documented defaults (its README, "Configuration" and "Rollback policy"): the API does not expose
// its configuration, so these are the shipped values; a deployment that overrides them differs. The preview's wave
// table shows the thresholds and error action the service itself resolved.
const DEFAULTS = {
  soakTime: 'PT30S', successThreshold: 1.0, errorThreshold: 0.5, errorAction: 'pause', errorMinSample: 1,
  waveTimeout: 'PT6H', canaryPerCohort: 3, minReports: 10, rollbackRate: 0.5, rollbackMinSample: 3,
};
const RULE_KEYS = {
  failedInstalls: ['rate', 'count', 'minSample', 'window'],
  bootFailures: ['rate', 'count', 'minSample', 'window'],
  unhealthyDevices: ['rate', 'count', 'minSample', 'window', 'crashes', 'crashWindow'],
  silentDevices: ['rate', 'count', 'minSample', 'window', 'silence'],
  crashRegression: ['factor', 'floor', 'minSample', 'window'],
};
const REASONS = {
  INCOMPATIBLE: 'incompatible hardware (not in the release\'s compatibility)',
  ALREADY_ON_RELEASE: 'already on the release',
  OFFLINE: 'offline past the deadline (still targeted: last seen before the window; its install would likely expire)',
};

export async function render(main, params) {
  if (!can('operator')) {
    clear(main, h('h1', {}, 'New rollout'), h('p', { class: 'error', role: 'alert' }, 'Creating a rollout needs the operator role.'));
    return;
  }
  const releases = (await get('/release/api/v1/releases?limit=200')).filter(r => r.state === 'PUBLISHED' || r.state === 'STABLE');
  const wanted = params.get('release');
  const release = h('select', { name: 'release', id: 'wizard-release', required: true },
    h('option', { value: '' }, 'choose a release'),
    releases.map(r => h('option', { value: r.id, selected: r.id === wanted }, r.name + ' ' + r.version + (r.state === 'STABLE' ? ' (stable)' : '') +
      ' — ' + (r.hardware || []).map(x => x.model + ':' + x.revision).join(', '))));
  const name = h('input', { type: 'text', name: 'name', id: 'wizard-name' });
  const filter = h('textarea', { name: 'filter', id: 'wizard-filter', rows: 3, spellcheck: 'false', placeholder: 'model == "gw-200" and version < "2.0.0"' });
  const target = h('input', { type: 'text', name: 'target', id: 'wizard-target', placeholder: 'fleet=field, site=a' });
  const waves = h('input', { type: 'text', name: 'waves', id: 'wizard-waves', value: '10,50,100' });
  const waveMode = h('select', { name: 'waveMode', id: 'wizard-wave-mode' },
    h('option', { value: 'list' }, 'cumulative percentages (--waves)'),
    h('option', { value: 'waves' }, 'percentage waves, each with its own options (--wave)'),
    h('option', { value: 'groups' }, 'groups: a filter and a share each, with its own options (--group)'));
  const waveRows = [];
  const waveList = h('ol', { id: 'wizard-wave-rows', class: 'wave-rows' });
  const addWave = h('button', { type: 'button', id: 'wizard-add-wave', class: 'small' }, 'Add wave');
  const waveTable = h('div', { id: 'wizard-wave-table', hidden: true }, waveList, addWave,
    h('p', { class: 'hint', id: 'wizard-wave-table-hint' }));
  const approval = h('select', { name: 'approval', id: 'wizard-approval' },
    ['NONE', 'BEFORE_LATER_WAVES', 'BEFORE_EACH_WAVE'].map(a => h('option', { value: a }, a.replace(/_/g, ' ').toLowerCase())));
  const canary = h('input', { type: 'number', name: 'canaryPerCohort', id: 'wizard-canary', min: 0, placeholder: 'default ' + DEFAULTS.canaryPerCohort });
  const cohortBy = h('input', { type: 'text', name: 'cohortBy', id: 'wizard-cohort-by', placeholder: 'region' });
  const soak = h('input', { type: 'text', name: 'soakTime', id: 'wizard-soak', placeholder: 'default ' + DEFAULTS.soakTime });
  const successThreshold = h('input', { type: 'number', name: 'successThreshold', id: 'wizard-success', min: 0, max: 1, step: 0.01, placeholder: 'default ' + DEFAULTS.successThreshold.toFixed(1) });
  const errorThreshold = h('input', { type: 'number', name: 'errorThreshold', id: 'wizard-error', min: 0, max: 1, step: 0.01, placeholder: 'default ' + DEFAULTS.errorThreshold });
  const errorAction = h('select', { name: 'errorAction', id: 'wizard-error-action' },
    h('option', { value: '' }, 'default: ' + DEFAULTS.errorAction), h('option', { value: 'PAUSE' }, 'pause'), h('option', { value: 'ABORT' }, 'abort'));
  const waveTimeout = h('input', { type: 'text', name: 'waveTimeout', id: 'wizard-wave-timeout', placeholder: 'default ' + DEFAULTS.waveTimeout });
  const rollbackRate = h('input', { type: 'number', name: 'rollbackFailureRate', id: 'wizard-rollback-rate', min: 0, max: 1, step: 0.01, placeholder: 'default ' + DEFAULTS.rollbackRate });
  const rollbackMinSample = h('input', { type: 'number', name: 'rollbackMinSample', id: 'wizard-rollback-min-sample', min: 1, placeholder: 'default ' + DEFAULTS.rollbackMinSample });
  const rollbackRules = h('textarea', { name: 'rollbackRules', id: 'wizard-rollback-rules', rows: 3, spellcheck: 'false', placeholder: 'unhealthyDevices:rate=0.3,crashes=3\nbootFailures:off' });
  const rollbackRelease = h('select', { name: 'rollbackRelease', id: 'wizard-rollback-release' },
    h('option', { value: '' }, 'each device\'s previous release (default)'),
    releases.map(r => h('option', { value: r.id }, r.name + ' ' + r.version)));
  const errorMinSample = h('input', { type: 'number', name: 'errorMinSample', id: 'wizard-error-min-sample', min: 1, placeholder: 'default ' + DEFAULTS.errorMinSample });
  const actionType = h('select', { name: 'actionType', id: 'wizard-action-type' },
    h('option', { value: '' }, 'default (forced)'), ['FORCED', 'SOFT', 'DOWNLOAD_ONLY', 'TIMEFORCED'].map(a => h('option', { value: a }, a.toLowerCase().replace('_', ' '))));
  const maxPerMinute = h('input', { type: 'number', name: 'maxPerMinute', id: 'wizard-max-per-minute', min: 1, placeholder: 'default: as fast as the broker takes them' });
  const rampBase = h('input', { type: 'number', name: 'rampBase', id: 'wizard-ramp-base', min: 1, placeholder: 'no ramp' });
  const rampFactor = h('input', { type: 'number', name: 'rampFactor', id: 'wizard-ramp-factor', min: 1.1, max: 5, step: 0.1, placeholder: '1.1–5' });
  const rampCriterion = h('select', { name: 'rampCriterion', id: 'wizard-ramp-criterion' },
    h('option', { value: 'notified' }, 'notified'), h('option', { value: 'succeeded' }, 'succeeded'));
  const rampCount = h('input', { type: 'number', name: 'rampCount', id: 'wizard-ramp-count', min: 1, placeholder: 'e.g. 500' });
  const gateFailure = h('input', { type: 'number', name: 'maxFailureRate', id: 'wizard-gate-failure', min: 0, max: 1, step: 0.01, placeholder: 'default: no bound' });
  const gateUnhealthy = h('input', { type: 'number', name: 'maxUnhealthyRatio', id: 'wizard-gate-unhealthy', min: 0, max: 1, step: 0.01, placeholder: 'default: no bound' });
  const gateCrashes = h('input', { type: 'number', name: 'maxCrashesPerReport', id: 'wizard-gate-crashes', min: 0, step: 0.01, placeholder: 'default: no bound' });
  const gateMinReports = h('input', { type: 'number', name: 'minReports', id: 'wizard-gate-min-reports', min: 1, placeholder: 'default ' + DEFAULTS.minReports });
  const gateRequireWindow = h('input', { type: 'checkbox', name: 'requireWindow', id: 'wizard-gate-require-window' });
  const windowSchedule = h('input', { type: 'text', name: 'windowSchedule', id: 'wizard-window-schedule', placeholder: '0 0 2 ? * * (none: any time)' });
  const windowDuration = h('input', { type: 'text', name: 'windowDuration', id: 'wizard-window-duration', placeholder: 'PT2H' });
  const windowZone = h('input', { type: 'text', name: 'windowZone', id: 'wizard-window-zone', placeholder: 'default UTC' });
  const actionDeadline = h('input', { type: 'text', name: 'actionDeadline', id: 'wizard-action-deadline', placeholder: 'default: none (e.g. PT48H)' });
  const startAt = h('input', { type: 'text', name: 'startAt', id: 'wizard-start-at', placeholder: 'default: now (e.g. 2026-11-28T02:00:00Z)' });
  const retries = h('input', { type: 'number', name: 'retries', id: 'wizard-retries', min: 0, max: 10, placeholder: 'default 0' });
  const dynamic = h('input', { type: 'checkbox', name: 'dynamic', id: 'wizard-dynamic' });
  // device consent (issue 23): the deadline means something only when the devices are asked, so it is enabled with it
  const confirmation = h('input', { type: 'checkbox', name: 'confirmationRequired', id: 'wizard-confirmation', 'aria-describedby': 'wizard-confirmation-hint' });
  const confirmationDeadline = h('input', { type: 'text', name: 'confirmationDeadline', id: 'wizard-confirmation-deadline', placeholder: 'default: none (e.g. PT72H)', disabled: true });
  confirmation.addEventListener('change', () => { confirmationDeadline.disabled = !confirmation.checked; });
  const rulesError = h('p', { id: 'wizard-rules-error', class: 'error', role: 'alert' });
  const preview = h('section', { id: 'preview', 'aria-live': 'polite', 'aria-labelledby': 'preview-h' });
  const cli = h('pre', { id: 'cli', tabindex: 0 });
  const cliNote = h('div', { id: 'cli-note', class: 'cli-note', role: 'status', hidden: true });
  const submit = h('button', { type: 'submit', id: 'create-rollout' }, 'Create rollout');
  const result = h('p', { id: 'create-result', role: 'alert' });

  function body() {
    const b = { releaseId: release.value };
    if (name.value.trim()) b.name = name.value.trim();
    if (filter.value.trim()) b.filter = filter.value.trim();
    const t = {};
    target.value.split(',').map(s => s.trim()).filter(Boolean).forEach(kv => {
      const i = kv.indexOf('=');
      if (i > 0) t[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
    });
    if (Object.keys(t).length) b.target = t;
    if (waveMode.value === 'list') {
      const w = waves.value.split(',').map(s => s.trim()).filter(Boolean).map(Number);
      if (w.length) b.waves = w;
    } else if (waveRows.length) {
      b.waves = waveRows.map(r => waveEntry(r, waveMode.value === 'groups'));
    }
    if (approval.value !== 'NONE') b.approval = approval.value;
    if (canary.value !== '') b.canaryPerCohort = Number(canary.value);
    const by = cohortBy.value.split(',').map(s => s.trim()).filter(Boolean);
    if (by.length) b.cohortBy = by;
    if (soak.value.trim()) b.soakTime = soak.value.trim();
    if (successThreshold.value !== '') b.successThreshold = Number(successThreshold.value);
    if (errorThreshold.value !== '') b.errorThreshold = Number(errorThreshold.value);
    if (errorAction.value) b.errorAction = errorAction.value;
    if (errorMinSample.value !== '') b.errorMinSample = Number(errorMinSample.value);
    if (actionType.value) b.actionType = actionType.value;
    const policy = {};
    if (rollbackRate.value !== '') policy.failureRateThreshold = Number(rollbackRate.value);
    if (rollbackMinSample.value !== '') policy.minSampleSize = Number(rollbackMinSample.value);
    Object.assign(policy, rules().policy);
    if (Object.keys(policy).length) b.rollbackPolicy = policy;
    if (startAt.value.trim()) b.startAt = startAt.value.trim();
    if (waveTimeout.value.trim()) b.waveTimeout = waveTimeout.value.trim();
    if (windowSchedule.value.trim()) {
      b.maintenanceWindow = { schedule: windowSchedule.value.trim() };
      if (windowDuration.value.trim()) b.maintenanceWindow.duration = windowDuration.value.trim();
      if (windowZone.value.trim()) b.maintenanceWindow.timezone = windowZone.value.trim();
    }
    if (actionDeadline.value.trim()) b.actionDeadline = actionDeadline.value.trim();
    if (retries.value !== '') b.retries = Number(retries.value);
    if (dynamic.checked) b.dynamic = true;
    if (confirmation.checked) {
      b.confirmationRequired = true;
      if (confirmationDeadline.value.trim()) b.confirmationDeadline = confirmationDeadline.value.trim();
    }
    if (rollbackRelease.value) b.rollbackRelease = rollbackRelease.value;
    const gate = {};
    if (gateFailure.value !== '') gate.maxFailureRate = Number(gateFailure.value);
    if (gateUnhealthy.value !== '') gate.maxUnhealthyRatio = Number(gateUnhealthy.value);
    if (gateCrashes.value !== '') gate.maxCrashesPerReport = Number(gateCrashes.value);
    if (gateMinReports.value !== '') gate.minReports = Number(gateMinReports.value);
    if (gateRequireWindow.checked) gate.requireWindow = true;
    if (Object.keys(gate).length) b.healthGate = gate;
    const rate = {};
    if (maxPerMinute.value !== '') rate.maximumPerMinute = Number(maxPerMinute.value);
    if (rampBase.value !== '') {
      const criteria = rampCriterion.value === 'succeeded' ? 'numberOfSucceededThings' : 'numberOfNotifiedThings';
      rate.exponentialRate = { baseRatePerMinute: Number(rampBase.value), incrementFactor: Number(rampFactor.value || 2),
        rateIncreaseCriteria: { [criteria]: Number(rampCount.value || 1) } };
    }
    if (Object.keys(rate).length) b.rolloutRate = rate;
    return b;
  }

  // One explicit wave as the body carries it: a percentage wave ({"percent", options…}) or a group ({"name",
  // "filter"?, "percent"?, options…}); only what was given, the service fills in the rest.
  function waveEntry(r, group) {
    const e = {};
    if (group) {
      e.name = r.name.trim();
      if (r.filter.trim()) e.filter = r.filter.trim();
      if (r.percent !== '') e.percent = Number(r.percent);
    } else {
      e.percent = r.percent === '' ? null : Number(r.percent);
    }
    if (r.approval) e.approval = true;
    if (r.success !== '') e.successThreshold = Number(r.success);
    if (r.error !== '') e.errorThreshold = Number(r.error);
    if (r.action) e.errorAction = r.action;
    return e;
  }

  function emptyRow(percent = '') {
    return { name: '', filter: '', percent: String(percent), approval: false, success: '', error: '', action: '' };
  }

  // Rows of the wave table: each a labelled set of controls ("Wave 2 name", …) with buttons to move it up or down
  // and remove it; rebuilt on every structural change so numbers and labels stay right, focus kept on the control
  // the keyboard was on.
  function renderWaveRows(focusId) {
    const groups = waveMode.value === 'groups';
    waveList.replaceChildren(...waveRows.map((r, i) => waveRow(r, i, groups)));
    waveTable.querySelector('#wizard-wave-table-hint').textContent = groups
      ? 'Each group takes its share (default 100 %) of the target devices its filter matches (none: all) that no earlier group took, per canary stratum; devices no group takes are left out (end with a group without a filter to take the rest). The canary applies to the first group.'
      : 'Cumulative percentages of the target devices, in order; the last is usually 100.';
    refreshPlaceholders();
    if (focusId) {
      const el = document.getElementById(focusId);
      if (el) el.focus();
    }
  }

  function waveRow(r, i, groups) {
    const n = i + 1;
    const id = k => 'wave-' + n + '-' + k;
    const labelled = (label, control, grow) => h('div', { class: 'wave-field' + (grow ? ' grow' : '') },
      h('label', { for: control.id }, h('span', { class: 'sr-only' }, 'Wave ' + n + ' '), label), control);
    const input = (k, attrs) => {
      const el = h('input', { id: id(k), ...attrs });
      el.value = r[k];
      el.addEventListener('input', () => { r[k] = el.value; });
      return el;
    };
    const approvalBox = h('input', { type: 'checkbox', id: id('approval'), checked: r.approval });
    approvalBox.addEventListener('change', () => { r.approval = approvalBox.checked; });
    const action = h('select', { id: id('action'), dataset: { default: 'errorAction' } },
      h('option', { value: '' }, 'the rollout\'s'), h('option', { value: 'PAUSE' }, 'pause'), h('option', { value: 'ABORT' }, 'abort'));
    action.value = r.action;
    action.addEventListener('change', () => { r.action = action.value; });
    const moveTo = (j, key, other) => () => {
      [waveRows[i], waveRows[j]] = [waveRows[j], waveRows[i]];
      const target = 'wave-' + (j + 1) + '-';
      const firstOrLast = key === 'up' ? j === 0 : j === waveRows.length - 1;
      renderWaveRows(target + (firstOrLast ? other : key));
      schedule();
    };
    const last = i === waveRows.length - 1;
    return h('li', { class: 'wave-row', dataset: { wave: n } },
      h('span', { class: 'wave-number', 'aria-hidden': 'true' }, String(n)),
      groups ? labelled('name', input('name', { type: 'text', required: true, placeholder: 'e.g. lab', maxlength: 100 })) : null,
      groups ? labelled('filter', input('filter', { type: 'text', class: 'wave-filter', spellcheck: 'false', placeholder: 'none: every device left' }), true) : null,
      labelled(groups ? 'share %' : 'cumulative %', input('percent', { type: 'number', class: 'wave-percent', min: 1, max: 100, step: 1,
        placeholder: groups ? 'default 100' : 'e.g. ' + Math.min(100, 10 * n * n) })),
      h('div', { class: 'wave-field check' }, approvalBox,
        h('label', { for: approvalBox.id }, h('span', { class: 'sr-only' }, 'Wave ' + n + ' '), 'waits for approval')),
      labelled('success ≥', input('success', { type: 'number', min: 0, max: 1, step: 0.01, dataset: { default: 'successThreshold' } })),
      labelled('error >', input('error', { type: 'number', min: 0, max: 1, step: 0.01, dataset: { default: 'errorThreshold' } })),
      labelled('on error', action),
      h('div', { class: 'wave-buttons' },
        h('button', { type: 'button', class: 'small', id: id('up'), 'aria-label': 'Move wave ' + n + ' up', disabled: i === 0, onclick: i === 0 ? null : moveTo(i - 1, 'up', 'down') }, '↑'),
        h('button', { type: 'button', class: 'small', id: id('down'), 'aria-label': 'Move wave ' + n + ' down', disabled: last, onclick: last ? null : moveTo(i + 1, 'down', 'up') }, '↓'),
        h('button', { type: 'button', class: 'small danger', id: id('remove'), 'aria-label': 'Remove wave ' + n, onclick: () => {
          waveRows.splice(i, 1);
          renderWaveRows(waveRows.length === 0 ? addWave.id : 'wave-' + Math.min(n, waveRows.length) + '-remove');
          schedule();
        } }, 'remove')));
  }

  // A wave option left empty takes the rollout's value ("rollout's 0.4"), which is the service's default when it is
  // empty too ("default 0.5")
  function refreshPlaceholders() {
    const given = { successThreshold: successThreshold.value, errorThreshold: errorThreshold.value, errorAction: errorAction.value.toLowerCase() };
    const shipped = { successThreshold: DEFAULTS.successThreshold.toFixed(1), errorThreshold: DEFAULTS.errorThreshold, errorAction: DEFAULTS.errorAction };
    for (const el of waveList.querySelectorAll('[data-default]')) {
      const k = el.dataset.default;
      const text = given[k] !== '' ? 'rollout\'s ' + given[k] : 'default ' + shipped[k];
      if (el.tagName === 'SELECT') el.options[0].textContent = text;
      else el.placeholder = text;
    }
  }

  function addWaveRow() {
    const groups = waveMode.value === 'groups';
    waveRows.push(emptyRow());
    renderWaveRows('wave-' + waveRows.length + '-' + (groups ? 'name' : 'percent'));
    schedule();
  }

  function changeWaveMode() {
    const mode = waveMode.value;
    wavesField.hidden = mode !== 'list';
    waveTable.hidden = mode === 'list';
    if (mode !== 'list' && waveRows.length === 0) {
      if (mode === 'waves') {
        waves.value.split(',').map(x => x.trim()).filter(Boolean).forEach(p => waveRows.push(emptyRow(p)));
      }
      if (waveRows.length === 0) waveRows.push(emptyRow());
    }
    renderWaveRows();
  }

  // The wave options --wave and --group share, as the CLI writes them: approval, success=X, error=X, action=…
  function optionParts(e) {
    const o = [];
    if (e.approval) o.push('approval');
    if (e.successThreshold !== undefined) o.push('success=' + e.successThreshold);
    if (e.errorThreshold !== undefined) o.push('error=' + e.errorThreshold);
    if (e.errorAction) o.push('action=' + e.errorAction.toLowerCase());
    return o;
  }
  const waveSpec = e => [String(e.percent), ...optionParts(e)].join(':');
  const groupSpec = e => [e.name, ...(e.filter ? [e.filter] : []), ...(e.percent !== undefined ? [e.percent + '%'] : []),
    ...optionParts(e)].join(':');

  // What the launcher's converters (RolloutSpecOptions.WaveConverter / GroupConverter) read from a --wave / --group
  // value, so a wave the CLI would read differently, or refuse, is named instead of printed as a wrong line
  function cliOption(o, part) {
    const lower = part.toLowerCase();
    if (lower === 'approval') return { ...o, approval: true };
    if (!/^(success|error|action)[ \t]*=[ \t]*[^\s=]+$/.test(lower)) return null;
    const eq = lower.indexOf('=');
    const key = lower.slice(0, eq).trim();
    const given = part.slice(eq + 1).trim();
    if (key === 'action') {
      if (!['PAUSE', 'ABORT'].includes(given.toUpperCase())) throw new Error('the error action is pause or abort');
      return { ...o, errorAction: given.toUpperCase() };
    }
    const t = Number(given);
    if (!(t >= 0 && t <= 1)) throw new Error(key + ' takes a threshold between 0 and 1');
    return { ...o, [key === 'success' ? 'successThreshold' : 'errorThreshold']: t };
  }
  function cliWave(value) {
    const parts = value.split(':');
    if (!/^\d{1,3}%?$/.test(parts[0].trim())) throw new Error('a wave starts with its cumulative percentage, a whole number');
    let o = { percent: parseInt(parts[0], 10) };
    for (const part of parts.slice(1)) {
      o = cliOption(o, part.trim());
      if (!o) throw new Error('unknown wave option');
    }
    return o;
  }
  function cliGroup(value) {
    const colon = value.indexOf(':');
    const name = (colon < 0 ? value : value.slice(0, colon)).trim();
    if (!name) throw new Error('a group needs a name');
    let o = {};
    let rest = colon < 0 ? '' : value.slice(colon + 1);
    for (;;) {
      const last = rest.lastIndexOf(':');
      const part = (last < 0 ? rest : rest.slice(last + 1)).trim();
      const more = /^\d{1,3}%$/.test(part) ? { ...o, percent: parseInt(part, 10) } : part === '' ? null : cliOption(o, part);
      if (!more) break;
      o = more;
      rest = last < 0 ? '' : rest.slice(0, last);
    }
    return { name, ...(rest.trim() ? { filter: rest.trim() } : {}), ...o };
  }
  // RolloutSpecOptions.maintenanceWindow(): CRON,DURATION[,ZONE] read from the right (the cron keeps its commas); no
  // duration among the last two parts: the first comma ends the cron
  const windowOption = m => [m.schedule, m.duration || '', m.timezone].filter(x => x !== undefined).join(',');
  const isDuration = t => {
    const m = /^[-+]?P(?:[-+]?[0-9]+D)?(T(?:[-+]?[0-9]+H)?(?:[-+]?[0-9]+M)?(?:[-+]?[0-9]+(?:[.,][0-9]{0,9})?S)?)?$/i.exec(t.trim());
    return !!m && !/^[-+]?PT?$/i.test(t.trim()) && !/T$/i.test(t.trim());
  };
  function cliWindow(value) {
    const parts = value.split(',');
    const n = parts.length;
    const at = n >= 2 && isDuration(parts[n - 1]) ? n - 1 : n >= 3 && isDuration(parts[n - 2]) ? n - 2 : 1;
    return { schedule: parts.slice(0, Math.min(at, n)).join(',').trim(), duration: at < n ? parts[at].trim() : undefined,
      timezone: at + 1 < n ? parts[at + 1].trim() : undefined };
  }
  const same = (a, b) => ['name', 'filter', 'percent', 'approval', 'successThreshold', 'errorThreshold', 'errorAction']
    .every(k => (a[k] ?? null) === (b[k] ?? null));

  // Why the rollout cannot be written as one `updraft rollout create` line (empty: it can)
  function cliProblems(b) {
    const problems = [];
    // RolloutSpecOptions.PositiveDurationConverter: the CLI refuses a deadline that is no positive ISO-8601 duration
    const deadline = b.confirmationDeadline;
    if (deadline && !(isDuration(deadline) && !deadline.includes('-') && /[1-9]/.test(deadline))) {
      problems.push('The confirmation deadline "' + deadline + '" is not a positive ISO-8601 duration (e.g. PT72H): the'
        + ' CLI refuses it as written; the preview says what the service makes of it.');
    }
    if (b.maintenanceWindow) {
      const m = b.maintenanceWindow;
      const read = cliWindow(windowOption(m));
      if (['schedule', 'duration', 'timezone'].some(k => (read[k] ?? '') !== (m[k] ?? ''))) {
        problems.push('The maintenance window cannot be written for the CLI: --maintenance-window CRON,DURATION[,ZONE]'
          + ' finds the duration from the right, so a cron with commas needs an ISO-8601 duration after it; the CLI'
          + ' would read ' + JSON.stringify(read) + '.');
      }
    }
    if (waveMode.value !== 'list') {
      const groups = waveMode.value === 'groups';
      (b.waves || []).forEach((e, i) => {
        const what = 'Wave ' + (i + 1) + (groups ? ' (group "' + e.name + '")' : '');
        if (groups && e.name.includes(':')) {
          problems.push(what + ': a name with ":" cannot be written for the CLI, whose --group NAME ends at the first ":".');
          return;
        }
        try {
          const read = groups ? cliGroup(groupSpec(e)) : cliWave(waveSpec(e));
          if (!same(read, e)) problems.push(what + ': the CLI would read --' + (groups ? 'group' : 'wave') + ' ' + (groups ? groupSpec(e) : waveSpec(e)) + ' differently (' + JSON.stringify(read) + ').');
        } catch (err) {
          problems.push(what + ': the CLI refuses it as written (' + err.message + '); the preview says what the service makes of it.');
        }
      });
    }
    return problems;
  }

  // --rollback-rule's syntax, one rule a line: RULE:KEY=VALUE,… or RULE:off (what the CLI takes, so the line below
  // carries the same text)
  function rules() {
    const policy = {};
    const lines = [];
    let problem = '';
    for (const raw of rollbackRules.value.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      const colon = line.indexOf(':');
      const rule = (colon < 0 ? line : line.slice(0, colon)).trim();
      const rest = colon < 0 ? '' : line.slice(colon + 1).trim();
      const keys = RULE_KEYS[rule];
      if (!keys) { problem = 'unknown rollback rule ' + rule + ' (known: ' + Object.keys(RULE_KEYS).join(', ') + ')'; continue; }
      if (policy[rule]) { problem = rule + ' is given twice'; continue; }
      if (rest === 'off') { policy[rule] = { off: true }; lines.push(rule + ':off'); continue; }
      const settings = {};
      for (const pair of rest.split(',')) {
        const [k, v] = pair.split('=').map(x => (x || '').trim());
        if (!keys.includes(k) || !v) { problem = rule + ': ' + (keys.includes(k) ? k + ' needs a value' : 'unknown key ' + k + ' (known: ' + keys.join(', ') + ')'); continue; }
        settings[k] = ['window', 'crashWindow', 'silence'].includes(k) ? v : Number(v);
      }
      if (Object.keys(settings).length) {
        policy[rule] = settings;
        lines.push(rule + ':' + Object.entries(settings).map(([k, v]) => k + '=' + v).join(','));
      }
    }
    return { policy, lines, problem };
  }

  function commandLine(b) {
    const q = s => "'" + String(s).replace(/'/g, "'\\''") + "'";
    const r = releases.find(x => x.id === b.releaseId);
    const parts = ['updraft rollout create', '--release ' + (r ? q(r.name + '@' + r.version) : q(b.releaseId))];
    if (b.name) parts.push('--name ' + q(b.name));
    for (const [k, v] of Object.entries(b.target || {})) parts.push('--target ' + q(k + '=' + v));
    if (b.filter) parts.push('--filter ' + q(b.filter));
    if (b.waves && waveMode.value === 'list') parts.push('--waves ' + b.waves.join(','));
    if (b.waves && waveMode.value === 'waves') b.waves.forEach(e => parts.push('--wave ' + q(waveSpec(e))));
    if (b.waves && waveMode.value === 'groups') b.waves.forEach(e => parts.push('--group ' + q(groupSpec(e))));
    if (b.approval) parts.push('--approval ' + b.approval);
    if (b.canaryPerCohort !== undefined) parts.push('--canary-per-cohort ' + b.canaryPerCohort);
    for (const c of b.cohortBy || []) parts.push('--cohort-by ' + q(c));
    if (b.soakTime) parts.push('--soak ' + b.soakTime);
    if (b.successThreshold !== undefined) parts.push('--success-threshold ' + b.successThreshold);
    if (b.errorThreshold !== undefined) parts.push('--error-threshold ' + b.errorThreshold);
    if (b.errorAction) parts.push('--error-action ' + b.errorAction.toLowerCase());
    if (b.errorMinSample !== undefined) parts.push('--error-min-sample ' + b.errorMinSample);
    if (b.actionType) parts.push('--action-type ' + b.actionType);
    const policy = b.rollbackPolicy || {};
    if (policy.failureRateThreshold !== undefined) parts.push('--rollback-failure-rate ' + policy.failureRateThreshold);
    if (policy.minSampleSize !== undefined) parts.push('--rollback-min-sample ' + policy.minSampleSize);
    for (const line of rules().lines) parts.push('--rollback-rule ' + q(line));
    if (b.rollbackRelease) {
      const rr = releases.find(x => x.id === b.rollbackRelease);
      parts.push('--rollback-release ' + (rr ? q(rr.name + '@' + rr.version) : q(b.rollbackRelease)));
    }
    if (b.startAt) parts.push('--start-at ' + q(b.startAt));
    if (b.waveTimeout) parts.push('--wave-timeout ' + q(b.waveTimeout));
    if (b.maintenanceWindow) {
      const m = b.maintenanceWindow;
      parts.push('--maintenance-window ' + q(windowOption(m)));
    }
    if (b.actionDeadline) parts.push('--action-deadline ' + q(b.actionDeadline));
    if (b.retries !== undefined) parts.push('--retries ' + b.retries);
    if (b.dynamic) parts.push('--dynamic');
    if (b.confirmationRequired) parts.push('--confirmation-required');
    if (b.confirmationDeadline) parts.push('--confirmation-deadline ' + q(b.confirmationDeadline));
    if (b.healthGate) {
      parts.push('--health-gate ' + Object.entries(b.healthGate).map(([k, v]) => (k === 'requireWindow' ? k : k + '=' + v)).join(','));
    }
    if (b.rolloutRate && b.rolloutRate.maximumPerMinute !== undefined) parts.push('--max-per-minute ' + b.rolloutRate.maximumPerMinute);
    if (b.rolloutRate && b.rolloutRate.exponentialRate) {
      const e = b.rolloutRate.exponentialRate;
      const c = e.rateIncreaseCriteria;
      parts.push('--ramp ' + e.baseRatePerMinute + ',' + e.incrementFactor + ','
        + (c.numberOfSucceededThings !== undefined ? 'succeeded=' + c.numberOfSucceededThings : 'notified=' + c.numberOfNotifiedThings));
    }
    return parts.join(' \\\n    ');
  }

  function exclusions(p) {
    const excluded = p.excluded || [];
    return h('div', { id: 'exclusions' },
      table('Devices the attributes and filter select that the rollout leaves out, by reason (first ' + 20 + ' by id)', [
        { label: 'Reason', cell: x => h('span', { title: x.reason }, REASONS[x.reason] || x.reason) },
        { label: 'Devices', cell: x => h('span', { dataset: { count: x.devices } }, String(x.devices)), class: 'num' },
        { label: 'Devices (sample)', cell: x => h('span', { class: 'sample' }, (x.sample || []).join(', ') + (x.devices > (x.sample || []).length ? ', …' : '')) },
      ], excluded, x => ({ dataset: { reason: x.reason } })),
      p.offlineBefore ? h('p', { class: 'muted' }, 'Offline: last seen before ' + p.offlineBefore + ' (now minus the action deadline, else the wave timeout).') : null);
  }

  function plannedWaves(p) {
    const cell = (field, value, tag = 'span') => (value === null || value === undefined || value === ''
      ? '' : h(tag, { dataset: { field } }, String(value)));
    return h('div', { id: 'preview-waves' }, table('Waves as the service would plan them (its defaults filled in)', [
      { label: 'Wave', cell: w => cell('wave', w.wave), class: 'num' },
      { label: 'Group', cell: w => cell('name', w.name) },
      { label: 'Filter', cell: w => cell('filter', w.filter, 'code') },
      { label: '%', cell: w => cell('percent', w.percent), class: 'num' },
      { label: 'Devices', cell: w => cell('devices', w.devices), class: 'num' },
      { label: 'Approval', cell: w => cell('approval', w.approval ? 'yes' : 'no') },
      { label: 'Success ≥', cell: w => cell('successThreshold', w.successThreshold), class: 'num' },
      { label: 'Error >', cell: w => cell('errorThreshold', w.errorThreshold), class: 'num' },
      { label: 'On error', cell: w => cell('errorAction', w.errorAction) },
    ], p.waves || [], w => ({ dataset: { wave: w.wave } })));
  }

  function showCommandLine(b) {
    const problems = cliProblems(b);
    cli.textContent = problems.length ? '' : commandLine(b);
    cli.hidden = problems.length > 0;
    cliNote.hidden = problems.length === 0;
    clear(cliNote, problems.length ? h('p', {}, h('b', {}, 'No command line: the CLI cannot express this rollout.')) : null,
      problems.map(x => h('p', {}, x)));
  }

  let seq = 0;
  let timer = null;
  let left = false;
  async function updatePreview() {
    const b = body();
    showCommandLine(b);
    refreshPlaceholders();
    rulesError.textContent = rules().problem;
    if (!b.releaseId) {
      clear(preview, h('h2', { id: 'preview-h' }, 'Preview'), h('p', { class: 'muted' }, 'Choose a release to see which devices it would reach.'));
      return;
    }
    const mine = ++seq;
    try {
      const p = await post(BASE + '/preview', b);
      if (mine !== seq) return;
      const waveCount = (p.waves || []).length;
      clear(preview, h('h2', { id: 'preview-h' }, 'Preview'),
        h('p', { id: 'preview-matching' }, h('b', { 'data-matching': p.matching }, String(p.matching)),
          ' device(s) would get this release', p.ungrouped ? ', ' + p.ungrouped + ' taken by no wave group' : '', '.'),
        table('Devices per hardware cohort and wave', [
          { label: 'Cohort', cell: c => h('code', {}, c.cohort) },
          { label: 'Devices', cell: c => h('span', { dataset: { devices: c.devices } }, String(c.devices)), class: 'num' },
          ...Array.from({ length: waveCount }, (_, i) => ({ label: 'wave ' + (i + 1), class: 'num', cell: c => String((c.perWave || [])[i] ?? '') })),
        ], p.cohorts || [], c => ({ dataset: { cohort: c.cohort } })),
        plannedWaves(p),
        exclusions(p));
      preview.dataset.commandLine = cli.textContent; // which spec the preview shown answers
    } catch (e) {
      if (mine !== seq) return;
      // a 422 (no device matches, or a release the service does not know or has revoked) carries only its detail:
      // shown as the service words it; exclusions too should the problem ever carry them
      const problem = e.problem || {};
      const text = 'The rollout-service ' + (e.status ? 'answers ' + e.status : 'cannot be reached') + ': ' + e.message;
      const shown = preview.querySelector('#preview-error');
      if (!shown || shown.textContent !== text) {
        clear(preview, h('h2', { id: 'preview-h' }, 'Preview'),
          h('p', { class: 'error', id: 'preview-error', role: 'alert', dataset: { status: e.status || 0 } }, text),
          e.status === 422 && !Array.isArray(problem.excluded)
            ? h('p', { class: 'muted', id: 'preview-error-hint' }, 'Nothing to plan, so no waves and no list of the devices left out: the service names them only for a spec some device matches. Widen the filter or the target, or check the release\'s hardware.')
            : null,
          Array.isArray(problem.excluded) ? exclusions(problem) : null);
      }
      preview.dataset.commandLine = cli.textContent;
      // 422: the rollout-service may not have heard of a release published a moment ago (it learns of releases from
      // Kafka), or no device matches yet: ask again while the page is open
      if (e.status === 422 && !left) timer = setTimeout(updatePreview, 1500);
    }
  }
  const schedule = () => { clearTimeout(timer); timer = setTimeout(updatePreview, 350); };

  const wavesField = field('Waves (cumulative %)', waves, 'e.g. 5,25,100');
  waveMode.addEventListener('change', changeWaveMode);
  addWave.addEventListener('click', addWaveRow);

  const form = h('form', { class: 'wizard', id: 'wizard', oninput: schedule, onchange: schedule, onsubmit: async e => {
    e.preventDefault();
    submit.disabled = true;
    result.textContent = '';
    try {
      const created = await post(BASE, body());
      toast('Created rollout ' + (created.name || created.id));
      location.hash = '#/rollouts/' + seg(created.id);
    } catch (err) {
      result.textContent = err.message;
      result.className = 'error';
    } finally {
      submit.disabled = false;
    }
  } },
  h('fieldset', {}, h('legend', {}, '1. Release and target'),
    field('Release', release), field('Name', name, 'optional; CI can watch a rollout by its name'),
    field('Target filter', filter, 'the filter language: == != < <= > >= in (…) not in (…) and or not; version compares by SemVer'),
    field('Target attributes', target, 'key=value, comma-separated (all must match)')),
  h('fieldset', {}, h('legend', {}, '2. Waves'),
    field('Waves as', waveMode), wavesField, waveTable, field('Approval', approval, 'besides the waves marked to wait for approval'),
    field('Canary devices per cohort', canary), field('Cohorts also by attributes', cohortBy, 'comma-separated attribute names')),
  h('fieldset', {}, h('legend', {}, '3. Gates and rollback'),
    field('Soak time', soak, 'ISO-8601 duration'), field('Success threshold', successThreshold, '0..1 of a wave finished before it soaks'),
    field('Error threshold', errorThreshold, '0..1 failed of judged'), field('On error', errorAction),
    field('Judge the error threshold from', errorMinSample, 'judged devices a soaked wave needs'),
    field('Wave timeout', waveTimeout, 'ISO-8601 duration: offline devices never block a wave')),
  h('fieldset', {}, h('legend', {}, '4. Pace'),
    field('Installs per minute at most', maxPerMinute, 'per wave'),
    field('Ramp: start at (per minute)', rampBase, 'exponential rate per wave; empty: no ramp'),
    field('Ramp: multiply by', rampFactor, 'default 2 when a ramp is set'),
    field('Ramp: each time N more devices were', rampCriterion), field('Ramp: N', rampCount)),
  h('fieldset', {}, h('legend', {}, '5. Health gate (telemetry bounds per cohort while a wave runs and soaks)'),
    field('Max failure rate', gateFailure, '0..1 failed of finished installs'),
    field('Max unhealthy ratio', gateUnhealthy, '0..1 unhealthy of health reports'),
    field('Max crashes per report', gateCrashes),
    field('Minimum reports', gateMinReports, 'smallest sample a ratio is judged on'),
    h('div', { class: 'field check' }, gateRequireWindow, h('label', { for: gateRequireWindow.id }, 'A soaked wave waits for a health window (default: no)'))),
  h('fieldset', {}, h('legend', {}, '6. When and how devices install'),
    field('Start at', startAt, 'ISO-8601 instant; the rollout is scheduled until then'),
    field('Maintenance window schedule', windowSchedule, 'Quartz cron: sec min hour day-of-month month day-of-week [year]'),
    field('Maintenance window duration', windowDuration, 'ISO-8601 duration'),
    field('Maintenance window time zone', windowZone, 'e.g. Europe/Berlin'),
    field('Action deadline', actionDeadline, 'an install expires this long after its wave started'),
    field('Retries', retries, 'times a failed install is sent again, 0–10'),
    field('Action type', actionType),
    h('div', { class: 'field check' }, dynamic, h('label', { for: dynamic.id }, 'Dynamic: devices that match later join (default: no)')),
    h('div', { class: 'field check' }, confirmation, h('label', { for: confirmation.id }, 'Require the device\'s confirmation'),
      h('small', { id: 'wizard-confirmation-hint', class: 'hint' }, 'each device (or its user) confirms or denies its install first; a device with auto-confirm on is not asked; rollbacks never ask (default: no)')),
    field('Confirmation deadline', confirmationDeadline, 'ISO-8601 duration, with the confirmation only: an install neither confirmed nor denied by then ends expired; empty: none')),
  h('fieldset', {}, h('legend', {}, '7. Rollback policy'),
    field('Roll a cohort back when failed installs reach', rollbackRate, '0..1 (failedInstalls rate; default ' + DEFAULTS.rollbackRate + ')'),
    field('…judged from installs', rollbackMinSample, 'failedInstalls sample (default ' + DEFAULTS.rollbackMinSample + ')'),
    field('Rules', rollbackRules, 'one a line, as --rollback-rule: RULE:KEY=VALUE,… or RULE:off. Defaults: bootFailures rate 0.2, unhealthyDevices rate 0.3 crashes 3 crashWindow PT10M, silentDevices rate 0.3 silence PT15M, crashRegression factor 2.0 floor 0.1 minSample 5 window PT5M (minSample 3 otherwise)'),
    rulesError,
    field('Roll back to', rollbackRelease)),
  submit, result);

  clear(main, h('p', { class: 'crumbs' }, h('a', { href: '#/rollouts' }, 'Rollouts'), ' / new'),
    h('h1', {}, 'New rollout'),
    h('div', { class: 'split' }, form, h('div', {}, preview, h('h2', {}, 'The same rollout from CI'), cliNote, cli)));
  updatePreview();
  return () => { left = true; clearTimeout(timer); };
}
