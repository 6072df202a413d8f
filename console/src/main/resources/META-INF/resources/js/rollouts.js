// Rollouts: the list, and one rollout live — progress per wave and per hardware cohort, telemetry's health per
// cohort, rollbacks with the rule and numbers that triggered them, the history, and approve / pause / resume /
// abort / cohort rollback with a reason. Counts per cohort and wave, the chart's series (from the rollout's start)
// and the health gate's verdict come from the rollout-service's progress endpoint, aggregated in its database. The
// rollout-service has no push stream, so the page polls it.
import { h, clear, table, field, when, stateTag, error, toast, every, actionButton } from './ui.js';
import { call, get, post, seg, query, follow } from './api.js';
import { can } from './session.js';

const BASE = '/rollout/api/v1/rollouts';
const POLL_MS = 1500;
const OPEN = ['SCHEDULED', 'RUNNING', 'WAITING_FOR_APPROVAL', 'PAUSED'];

export async function list(main, params) {
  const name = h('input', { type: 'search', name: 'name', value: params.get('name') || '' });
  const results = h('div', { id: 'rollout-results' });
  clear(main,
    h('div', { class: 'title' }, h('h1', {}, 'Rollouts'),
      can('operator') ? h('a', { class: 'button', href: '#/rollouts/new', id: 'new-rollout' }, 'New rollout') : null),
    h('form', { class: 'search', role: 'search', onsubmit: e => {
      e.preventDefault();
      location.hash = '#/rollouts' + query({ name: name.value });
    } }, field('Name', name, 'exact rollout name'), h('button', { type: 'submit' }, 'Search')),
    results);
  return every(3000, async () => {
    try {
      const { data } = await call(BASE + query({ name: params.get('name'), limit: 100 }));
      clear(results, table('Rollouts, newest first (live)', [
        { label: 'Rollout', cell: r => h('a', { href: '#/rollouts/' + seg(r.id) }, r.name || r.id) },
        { label: 'Release', cell: r => h('a', { href: '#/releases/' + seg(r.releaseId) }, r.version) },
        { label: 'State', cell: r => stateTag(r.state) },
        { label: 'Wave', cell: r => r.currentWave + ' of ' + (r.waves || []).length, class: 'num' },
        { label: 'Progress', cell: r => progressOf(r) },
        { label: 'Created', cell: r => when(r.createdAt) },
      ], data, r => ({ dataset: { rollout: r.id } })));
    } catch (e) {
      clear(results, error(e));
    }
  });
}

function finished(w) {
  return (w.installed ?? w.succeeded ?? 0) + (w.failed || 0) + (w.rolledBack || 0) + (w.canceled || 0) + (w.expired || 0) + (w.skipped || 0) + (w.denied || 0);
}

function progressOf(r) {
  const devices = (r.waves || []).reduce((n, w) => n + (w.devices || 0), 0);
  const done = (r.waves || []).reduce((n, w) => n + finished(w), 0);
  return bar(done, devices);
}

function bar(done, total, label) {
  const pct = total ? Math.round(done * 100 / total) : 0;
  return h('span', { class: 'bar' }, h('progress', { max: total || 1, value: done, 'aria-label': label || (done + ' of ' + total + ' finished') }),
    ' ' + done + '/' + total + ' (' + pct + ' %)');
}

const WAVE_COUNTS = ['installed', 'failed', 'running', 'pending', 'canceling', 'canceled', 'expired', 'rolledBack', 'skipped', 'retried'];
// denied: installs the device refused to confirm (rollouts requiring confirmation), a column only where it can happen
const DENIED_AFTER = 'failed';
const ACTION_STATES = ['SCHEDULED', 'RUNNING', 'CANCELING', 'SUCCEEDED', 'FAILED', 'DENIED', 'CANCELED', 'EXPIRED', 'RETRIED'];
// the chart's lines: the progress series' fields, named as the page names them
const SERIES = [['dispatched', 'dispatched', '#6e7781'], ['installed', 'succeeded', '#1a7f37'], ['failed', 'failed', '#b42318']];

export async function detail(main, id) {
  const head = h('div', { id: 'rollout-head' });
  const controls = h('div', { id: 'rollout-controls', class: 'actions' });
  const waves = h('section', { id: 'waves', 'aria-labelledby': 'waves-h' });
  const cohorts = h('section', { id: 'cohorts', 'aria-labelledby': 'cohorts-h' });
  const rollbacks = h('section', { id: 'rollbacks', 'aria-labelledby': 'rollbacks-h' });
  const history = h('section', { id: 'history', 'aria-labelledby': 'history-h' });
  const chart = h('section', { id: 'chart', 'aria-labelledby': 'chart-h' });
  const gate = h('section', { id: 'gate', 'aria-labelledby': 'gate-h' });
  // the chart's data as a table (for screen readers, keyboard users, and the tests): kept across refreshes, so its
  // open state and the focus on its summary survive them
  const seriesSummary = h('summary', {}, 'The chart\'s data');
  const seriesTable = h('div', {});
  const seriesData = h('details', { id: 'series' }, seriesSummary, seriesTable);
  const chartBox = h('div', { class: 'chart' });
  const legend = h('p', { class: 'legend muted' });
  clear(chart, h('h2', { id: 'chart-h' }, 'Over time'), chartBox, legend, seriesData);
  const live = h('p', { id: 'live', class: 'muted', 'aria-live': 'off' });
  const reason = h('input', { type: 'text', id: 'reason', maxlength: 1000 });
  let current = null;

  const act = (verb, body) => async () => {
    const view = await post(BASE + '/' + seg(id) + '/' + verb, body());
    toast(verb + ': ' + view.state.replace(/_/g, ' ').toLowerCase());
    reason.value = '';
    progressAt = 0;
    await refresh();
  };
  const reasonBody = () => (reason.value.trim() ? { reason: reason.value.trim() } : {});
  const buttons = {
    approve: actionButton('Approve next wave', act('approve', () => ({})), { id: 'approve' }),
    pause: actionButton('Pause', act('pause', reasonBody), { id: 'pause' }),
    resume: actionButton('Resume', act('resume', reasonBody), { id: 'resume' }),
    abort: actionButton('Abort', async () => {
      if (confirm('Abort this rollout? Open installs are canceled.')) await act('abort', reasonBody)();
    }, { id: 'abort', class: 'danger' }),
  };

  clear(main, h('p', { class: 'crumbs' }, h('a', { href: '#/rollouts' }, 'Rollouts'), ' / ', id), head, live, controls, waves, gate, chart, cohorts, rollbacks, history);
  if (can('operator')) {
    clear(controls, field('Reason (pause, resume, abort, cohort rollback)', reason, 'kept in the rollout history with your name'),
      h('div', { class: 'buttons' }, Object.values(buttons)));
  }

  // the progress endpoint aggregates all the rollout's actions (about a second for a million): asked again only once
  // ten times its last answer's time has passed, so a huge rollout is not scanned every poll
  let progressLast = null, progressAt = 0, progressCost = 0;
  async function progressOf() {
    if (progressLast && !progressLast.error && Date.now() - progressAt < 10 * progressCost) return progressLast;
    const started = performance.now();
    progressLast = await get(BASE + '/' + seg(id) + '/progress').catch(e => ({ error: e }));
    progressCost = performance.now() - started;
    progressAt = Date.now();
    return progressLast;
  }

  async function refresh() {
    const r = await get(BASE + '/' + seg(id));
    current = r;
    const [progress, health, decided, hist] = await Promise.all([
      progressOf(),
      get('/telemetry/api/v1/rollouts/' + seg(id) + '/health').catch(() => null),
      get('/telemetry/api/v1/rollbacks' + query({ rolloutId: id })).catch(() => []),
      get(BASE + '/' + seg(id) + '/history?limit=200').catch(e => ({ error: e })),
    ]);
    renderHead(r);
    controls.hidden = !OPEN.includes(r.state);
    for (const [verb, b] of Object.entries(buttons)) {
      b.hidden = !({
        approve: r.state === 'WAITING_FOR_APPROVAL',
        pause: r.state === 'RUNNING' || r.state === 'WAITING_FOR_APPROVAL',
        resume: r.state === 'PAUSED',
        abort: OPEN.includes(r.state),
      })[verb];
    }
    renderWaves(r);
    renderGate(r, progress);
    renderChart(r, progress);
    renderCohorts(r, progress, health);
    renderRollbacks(r, decided);
    renderHistory(hist);
    live.textContent = 'Live: updated ' + new Date().toLocaleTimeString() + (live.dataset.stream === 'on' ? ', following telemetry\'s event stream' : '') + (OPEN.includes(r.state) ? '' : ' (the rollout has ended)');
  }

  function renderHead(r) {
    clear(head,
      h('div', { class: 'title' }, h('h1', { id: 'rollout-title' }, r.name || r.id), h('span', { id: 'rollout-state' }, stateTag(r.state))),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Release'), h('dd', {}, h('a', { href: '#/releases/' + seg(r.releaseId) }, r.version), ' ', h('code', {}, r.releaseId)),
        h('dt', {}, 'Wave'), h('dd', {}, r.currentWave + ' of ' + (r.waves || []).length),
        r.filter ? [h('dt', {}, 'Filter'), h('dd', {}, h('code', {}, r.filter))] : null,
        h('dt', {}, 'Created'), h('dd', {}, when(r.createdAt)),
        r.startAt ? [h('dt', {}, 'Starts'), h('dd', {}, when(r.startAt))] : null,
        r.confirmationRequired ? [h('dt', {}, 'Device consent'), h('dd', { id: 'confirmation' }, 'Confirmation required ('
          + (r.confirmationDeadline ? 'deadline ' + r.confirmationDeadline : 'no deadline') + ')')] : null,
        r.healthGate ? [h('dt', {}, 'Health gate'), h('dd', { id: 'health-gate' }, Object.entries(r.healthGate).filter(([, v]) => v !== null && v !== false).map(([k, v]) => k + (v === true ? '' : ' ' + v)).join(', '))] : null,
        r.rollbackActions && r.rollbackActions.sent ? [h('dt', {}, 'Rollback installs'), h('dd', {}, r.rollbackActions.sent + ' sent, ' + r.rollbackActions.succeeded + ' succeeded, ' + r.rollbackActions.failed + ' failed')] : null));
  }

  function renderWaves(r) {
    const counts = r.confirmationRequired || (r.waves || []).some(w => w.denied)
      ? WAVE_COUNTS.flatMap(k => (k === DENIED_AFTER ? [k, 'denied'] : [k])) : WAVE_COUNTS;
    clear(waves, h('h2', { id: 'waves-h' }, 'Waves'), table('Progress per wave', [
      { label: 'Wave', cell: w => w.wave + (w.name ? ' ' + w.name : ''), class: 'num' },
      { label: '%', cell: w => w.percent, class: 'num' },
      { label: 'State', cell: w => [stateTag(w.state), w.approval ? h('span', { class: 'tag' }, 'approval') : null, w.timedOut ? h('span', { class: 'tag warn' }, 'timed out') : null] },
      { label: 'Progress', cell: w => bar(finished(w), w.devices, 'wave ' + w.wave + ': ' + finished(w) + ' of ' + w.devices + ' finished') },
      ...counts.map(k => ({ label: k.replace(/([A-Z])/g, ' $1').toLowerCase(), class: 'num', cell: w => h('span', { dataset: { count: k } }, String(k === 'installed' ? (w.installed ?? w.succeeded ?? 0) : (w[k] || 0))) })),
    ], r.waves || [], w => ({ dataset: { wave: w.wave, state: w.state } })));
  }

  // the health gate's verdict on the current wave, with the figures it judged against the bounds
  function renderGate(r, progress) {
    if (!progress || progress.error) {
      clear(gate, h('h2', { id: 'gate-h' }, 'Health gate'), error(progress ? progress.error : 'no progress'));
      return;
    }
    const g = progress.gate || { state: 'NOT_GATED' };
    gate.dataset.state = g.state;
    if (g.state === 'NOT_GATED') {
      clear(gate, h('h2', { id: 'gate-h' }, 'Health gate'), h('p', { class: 'muted', id: 'gate-verdict', dataset: { state: g.state } }, 'No health gate: waves advance on their thresholds and soak only.'));
      return;
    }
    const b = progress.healthGate || {};
    const pct = v => (v === null || v === undefined ? '–' : (100 * v).toFixed(1) + ' %');
    const num = v => (v === null || v === undefined ? '–' : v.toFixed(3));
    const vs = (value, bound, fmt) => [fmt(value), bound === null || bound === undefined ? '' : h('span', { class: 'muted' }, ' (max ' + fmt(bound) + ')')];
    const label = { WAITING: 'waiting', PASSING: 'passing', BREACHED: 'breached' }[g.state] || g.state;
    clear(gate, h('h2', { id: 'gate-h' }, 'Health gate'),
      h('p', { id: 'gate-verdict', dataset: { state: g.state, windowEnd: g.windowEnd || '', accepted: String(!!g.accepted), holdsWave: String(!!g.holdsWave) } },
        h('span', { class: 'tag gate-' + g.state.toLowerCase() }, label), ' wave ' + g.wave + (g.waveState ? ' (' + g.waveState.toLowerCase().replace(/_/g, ' ') + ')' : '') + ': ',
        h('span', { class: 'gate-detail' }, g.detail),
        g.holdsWave ? h('span', { class: 'tag warn gate-holds' }, 'holds the wave') : null,
        g.state === 'BREACHED' ? h('span', { class: 'tag gate-accepted' + (g.accepted ? ' ok' : '') }, g.accepted ? 'accepted by a resume' : 'not accepted') : null),
      g.windowEnd ? h('p', { class: 'muted' }, 'last window judged ended ' + when(g.windowEnd) + (g.waveStartedAt ? '; wave started ' + when(g.waveStartedAt) : '') + '; minimum sample ' + b.minReports) : null,
      (g.cohorts || []).length === 0 ? null : table('Each cohort since the wave started, against the bounds', [
        { label: 'Cohort', cell: c => [h('code', {}, c.cohort), c.judged ? '' : h('span', { class: 'muted' }, ' not judged')] },
        { label: 'Installs ok / failed', cell: c => c.succeeded + ' / ' + c.failed, class: 'num' },
        { label: 'Failure rate', cell: c => h('span', { dataset: { figure: 'failureRate' } }, vs(c.failureRate, b.maxFailureRate, pct)) },
        { label: 'Health reports', cell: c => c.healthReports, class: 'num' },
        { label: 'Unhealthy', cell: c => h('span', { dataset: { figure: 'unhealthyRatio' } }, vs(c.unhealthyRatio, b.maxUnhealthyRatio, pct)) },
        { label: 'Crashes per report', cell: c => h('span', { dataset: { figure: 'crashesPerReport' } }, vs(c.crashesPerReport, b.maxCrashesPerReport, num)) },
        { label: 'Verdict', cell: c => (c.breaks ? h('span', { class: 'tag state-failed' }, 'breaks ' + (c.breaks.match(/max\w+/) || [''])[0]) : c.judged ? h('span', { class: 'tag ok' }, 'within') : '') },
      ], g.cohorts, c => ({ dataset: { cohort: c.cohort } })));
  }

  // installs over time from the rollout's start (the service's series, at most 120 points), redrawn on every refresh
  function renderChart(r, progress) {
    if (!progress || progress.error || !progress.series) {
      clear(chartBox, error(progress && progress.error ? progress.error : 'no series'));
      return;
    }
    const points = progress.series.points || [];
    const total = Math.max(1, (r.waves || []).reduce((n, w) => n + (w.devices || 0), 0), ...points.map(p => p.dispatched));
    const W = 600, H = 120;
    const t0 = Date.parse(progress.series.from);
    const span = Math.max(1, (points.length ? Date.parse(points[points.length - 1].at) : t0) - t0);
    const svgNs = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    svg.dataset.points = String(points.length);
    svg.dataset.from = progress.series.from;
    const last = points[points.length - 1] || { dispatched: 0, succeeded: 0, failed: 0 };
    svg.setAttribute('aria-label', 'Installs since the rollout started ' + when(progress.series.from) + ': installed ' + last.succeeded + ', failed ' + last.failed + ', dispatched ' + last.dispatched + ' of ' + total + ' devices');
    for (const [name, field, color] of SERIES) {
      const line = document.createElementNS(svgNs, 'polyline');
      line.setAttribute('points', points.map(p => ((Date.parse(p.at) - t0) * W / span).toFixed(1) + ',' + (H - 2 - p[field] * (H - 4) / total).toFixed(1)).join(' '));
      line.setAttribute('fill', 'none');
      line.setAttribute('stroke', color);
      line.setAttribute('stroke-width', '2');
      line.setAttribute('vector-effect', 'non-scaling-stroke');
      line.dataset.series = name;
      svg.append(line);
    }
    seriesSummary.textContent = 'The chart\'s data (' + points.length + ' points, every ' + progress.series.bucketSeconds + ' s)';
    clear(seriesTable, table('Installs since the rollout started, cumulative', [
      { label: 'Until', cell: p => when(p.at) },
      ...SERIES.map(([name, field]) => ({ label: name, class: 'num', cell: p => h('span', { dataset: { series: name } }, String(p[field])) })),
    ], points, p => ({ dataset: { at: p.at } })));
    clear(chartBox, svg);
    clear(legend, SERIES.map(([name]) => h('span', { class: 'series-' + name }, '— ' + name + ' ')),
      ' (of ' + total + ' devices, since ' + when(progress.series.from) + ')');
  }

  function renderCohorts(r, progress, health) {
    // install actions by state per cohort, counted by the rollout-service (each attempt of a retried install is its
    // own action: RETRIED beside the latest one); rollback installs apart
    const ofCohort = Object.fromEntries(((progress && progress.cohorts) || []).map(c => [c.cohort, c]));
    const counts = Object.fromEntries(Object.entries(ofCohort).map(([k, c]) => [k, c.installs || {}]));
    const rollbackCounts = Object.fromEntries(Object.entries(ofCohort).map(([k, c]) => [k, c.rollbacks || {}]));
    const healthOf = Object.fromEntries(((health && health.cohorts) || []).map(c => [c.cohort, c]));
    const operator = can('operator') && OPEN.includes(r.state);
    clear(cohorts, h('h2', { id: 'cohorts-h' }, 'Hardware cohorts'), table('Progress and health per hardware cohort', [
      { label: 'Cohort', cell: c => h('code', {}, c.cohort) },
      { label: 'Devices', cell: c => c.devices, class: 'num' },
      { label: 'State', cell: c => stateTag(c.state) },
      { label: 'Installs by state', cell: c => h('span', { class: 'counts' }, ACTION_STATES.filter(s => (counts[c.cohort] || {})[s])
        .map(s => h('span', { class: 'count', dataset: { state: s } }, s.toLowerCase() + ' ', h('b', {}, String(counts[c.cohort][s]))))) },
      { label: 'Rollback installs', cell: c => h('span', { class: 'counts rollback-counts' }, ACTION_STATES.filter(s => (rollbackCounts[c.cohort] || {})[s])
        .map(s => h('span', { class: 'count', dataset: { rollbackState: s } }, s.toLowerCase() + ' ', h('b', {}, String(rollbackCounts[c.cohort][s]))))) },
      { label: 'Telemetry', cell: c => {
        const t = healthOf[c.cohort];
        return t ? h('span', {}, 'ok ' + t.succeeded + ', failed ' + t.failed + ' (' + (100 * (t.failureRate || 0)).toFixed(0) + ' %), health reports ' + t.healthReports + ', unhealthy ' + t.unhealthyReports + ', crashes ' + t.crashes) : '';
      } },
      { label: 'Action', cell: c => operator && c.state !== 'ROLLED_BACK' ? actionButton('Roll back', async () => {
        if (!confirm('Roll back cohort ' + c.cohort + '?')) return;
        await post(BASE + '/' + seg(id) + '/cohorts/' + seg(c.cohort) + '/rollback', reasonBody());
        toast('Cohort ' + c.cohort + ' rolled back');
        progressAt = 0;
        await refresh();
      }, { class: 'danger small', 'aria-label': 'Roll back cohort ' + c.cohort }) : '' },
    ], r.cohorts || [], c => ({ dataset: { cohort: c.cohort, state: c.state } })));
  }

  function renderRollbacks(r, decided) {
    const rolled = (r.cohorts || []).filter(c => c.state === 'ROLLED_BACK');
    clear(rollbacks, h('h2', { id: 'rollbacks-h' }, 'Rollbacks'), rolled.length === 0
      ? h('p', { class: 'muted' }, 'No cohort rolled back.')
      : h('ul', { class: 'rollbacks' }, rolled.map(c => {
        const e = c.rollbackEvidence;
        const telemetry = (decided || []).find(d => d.cohort === c.cohort);
        return h('li', { dataset: { cohort: c.cohort } },
          h('code', {}, c.cohort), ': ', c.rollbackReason || '(no reason given)',
          e ? h('div', { class: 'evidence' }, 'rule ', h('b', { class: 'rule' }, e.rule), ': ',
            e.devicesCounted + ' of ' + e.devicesJudged + ' counted, ' + ratio(e.observed, e.limit) +
            (e.windowStart ? ', window ' + when(e.windowStart) + ' .. ' + when(e.windowEnd) : '')) : h('div', { class: 'evidence muted' }, 'an operator\'s rollback (no telemetry evidence)'),
          telemetry ? h('div', { class: 'muted' }, 'decided by telemetry at ' + when(telemetry.decidedAt) + ' (ok ' + telemetry.succeeded + ', failed ' + telemetry.failed + ')') : null);
      })));
  }

  function renderHistory(hist) {
    if (hist && hist.error) {
      clear(history, h('h2', { id: 'history-h' }, 'History'), error(hist.error));
      return;
    }
    const entries = (hist && hist.entries) || [];
    clear(history, h('h2', { id: 'history-h' }, 'History'), table('What happened, oldest first', [
      { label: 'Time', cell: e => when(e.at) },
      { label: 'Event', cell: e => e.type },
      { label: 'By', cell: e => e.actor },
      { label: 'Wave / cohort', cell: e => [e.wave ? 'wave ' + e.wave : '', e.cohort ? ' ' + e.cohort : ''].join('') },
      { label: 'Reason / details', cell: e => [e.reason || '', e.details ? ' ' + (typeof e.details === 'string' ? e.details : JSON.stringify(e.details)) : ''].join('') },
    ], entries, e => ({ dataset: { type: e.type } })));
  }

  await refresh();
  // telemetry's event stream (rollout events, rollbacks, health windows) triggers a refresh the moment something
  // happens to this rollout; polling stays as the floor (the stream carries no per-install progress)
  let soon = null;
  const stopStream = follow('/telemetry/api/v1/dashboard/events', event => {
    if (event && event.rolloutId === id && !soon) {
      soon = setTimeout(() => { soon = null; refresh().catch(() => {}); }, 200);
    }
  }, on => { live.dataset.stream = on ? 'on' : 'off'; });
  // after the rollout ended, rollback installs may still finish: keep following, more slowly
  let quiet = 0;
  const stopPolling = every(POLL_MS, () => (current && !OPEN.includes(current.state) && quiet++ % 4 !== 0 ? null : refresh()), { now: false });
  return () => { stopStream(); stopPolling(); clearTimeout(soon); };
}

/** "observed ≥ limit": two decimals for both when either is a fraction (a rate), as counted when both are whole. */
function ratio(observed, limit) {
  const whole = Number.isInteger(observed) && Number.isInteger(limit);
  const f = v => (typeof v === 'number' && !whole ? v.toFixed(2) : String(v));
  return f(observed) + ' ≥ ' + f(limit);
}
