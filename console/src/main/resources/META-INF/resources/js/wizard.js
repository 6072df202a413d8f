// A new rollout: pick a release, write a target filter and the waves; the rollout-service's own preview
// (POST /api/v1/rollouts/preview, nothing stored) shows, as you type, how many devices match, per hardware cohort and
// per wave. The equivalent `updraft rollout create` command line is shown for CI.
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
  const rulesError = h('p', { id: 'wizard-rules-error', class: 'error', role: 'alert' });
  const preview = h('section', { id: 'preview', 'aria-live': 'polite', 'aria-labelledby': 'preview-h' });
  const cli = h('pre', { id: 'cli', tabindex: 0 });
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
    const w = waves.value.split(',').map(s => s.trim()).filter(Boolean).map(Number);
    if (w.length) b.waves = w;
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
    if (b.waves) parts.push('--waves ' + b.waves.join(','));
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
      parts.push('--maintenance-window ' + q([m.schedule, m.duration || '', m.timezone].filter(x => x !== undefined).join(',')));
    }
    if (b.actionDeadline) parts.push('--action-deadline ' + q(b.actionDeadline));
    if (b.retries !== undefined) parts.push('--retries ' + b.retries);
    if (b.dynamic) parts.push('--dynamic');
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

  let seq = 0;
  let timer = null;
  let left = false;
  async function updatePreview() {
    const b = body();
    cli.textContent = commandLine(b);
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
        table('Waves as the service would plan them (its defaults filled in)', [
          { label: 'Wave', cell: w => w.wave + (w.name ? ' ' + w.name : ''), class: 'num' },
          { label: '%', cell: w => w.percent, class: 'num' },
          { label: 'Devices', cell: w => w.devices, class: 'num' },
          { label: 'Approval', cell: w => (w.approval ? 'yes' : 'no') },
          { label: 'Success ≥', cell: w => w.successThreshold ?? '', class: 'num' },
          { label: 'Error >', cell: w => w.errorThreshold ?? '', class: 'num' },
          { label: 'On error', cell: w => w.errorAction || '' },
        ], p.waves || []),
        exclusions(p));
      preview.dataset.commandLine = cli.textContent; // which spec the preview shown answers
    } catch (e) {
      if (mine !== seq) return;
      clear(preview, h('h2', { id: 'preview-h' }, 'Preview'), h('p', { class: 'error', id: 'preview-error', role: 'alert' }, e.message));
      // 422: the rollout-service may not have heard of a release published a moment ago (it learns of releases from
      // Kafka), or no device matches yet: ask again while the page is open
      if (e.status === 422 && !left) timer = setTimeout(updatePreview, 1500);
    }
  }
  const schedule = () => { clearTimeout(timer); timer = setTimeout(updatePreview, 350); };

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
    field('Waves (cumulative %)', waves, 'e.g. 5,25,100'), field('Approval', approval),
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
    field('Maintenance window schedule', windowSchedule, 'Quartz cron: sec min hour day-of-month month day-of-week (no commas: the CLI splits on them)'),
    field('Maintenance window duration', windowDuration, 'ISO-8601 duration'),
    field('Maintenance window time zone', windowZone, 'e.g. Europe/Berlin'),
    field('Action deadline', actionDeadline, 'an install expires this long after its wave started'),
    field('Retries', retries, 'times a failed install is sent again, 0–10'),
    field('Action type', actionType),
    h('div', { class: 'field check' }, dynamic, h('label', { for: dynamic.id }, 'Dynamic: devices that match later join (default: no)'))),
  h('fieldset', {}, h('legend', {}, '7. Rollback policy'),
    field('Roll a cohort back when failed installs reach', rollbackRate, '0..1 (failedInstalls rate; default ' + DEFAULTS.rollbackRate + ')'),
    field('…judged from installs', rollbackMinSample, 'failedInstalls sample (default ' + DEFAULTS.rollbackMinSample + ')'),
    field('Rules', rollbackRules, 'one a line, as --rollback-rule: RULE:KEY=VALUE,… or RULE:off. Defaults: bootFailures rate 0.2, unhealthyDevices rate 0.3 crashes 3 crashWindow PT10M, silentDevices rate 0.3 silence PT15M, crashRegression factor 2.0 floor 0.1 minSample 5 window PT5M (minSample 3 otherwise)'),
    rulesError,
    field('Roll back to', rollbackRelease)),
  submit, result);

  clear(main, h('p', { class: 'crumbs' }, h('a', { href: '#/rollouts' }, 'Rollouts'), ' / new'),
    h('h1', {}, 'New rollout'),
    h('div', { class: 'split' }, form, h('div', {}, preview, h('h2', {}, 'The same rollout from CI'), cli)));
  updatePreview();
  return () => { left = true; clearTimeout(timer); };
}
