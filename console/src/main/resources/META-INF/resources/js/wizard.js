// A new rollout: pick a release, write a target filter and the waves; the rollout-service's own preview
// (POST /api/v1/rollouts/preview, nothing stored) shows, as you type, how many devices match, per hardware cohort and
// per wave. The equivalent `updraft rollout create` command line is shown for CI.
import { h, clear, table, field, error, toast } from './ui.js';
import { get, post, seg } from './api.js';
import { can } from './session.js';

const BASE = '/rollout/api/v1/rollouts';

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
  const canary = h('input', { type: 'number', name: 'canaryPerCohort', id: 'wizard-canary', min: 0, placeholder: 'service default' });
  const cohortBy = h('input', { type: 'text', name: 'cohortBy', id: 'wizard-cohort-by', placeholder: 'region' });
  const soak = h('input', { type: 'text', name: 'soakTime', id: 'wizard-soak', placeholder: 'service default (e.g. PT30M)' });
  const successThreshold = h('input', { type: 'number', name: 'successThreshold', id: 'wizard-success', min: 0, max: 1, step: 0.01, placeholder: 'service default' });
  const errorThreshold = h('input', { type: 'number', name: 'errorThreshold', id: 'wizard-error', min: 0, max: 1, step: 0.01, placeholder: 'service default' });
  const errorAction = h('select', { name: 'errorAction', id: 'wizard-error-action' },
    h('option', { value: '' }, 'service default'), h('option', { value: 'PAUSE' }, 'pause'), h('option', { value: 'ABORT' }, 'abort'));
  const waveTimeout = h('input', { type: 'text', name: 'waveTimeout', id: 'wizard-wave-timeout', placeholder: 'service default (e.g. PT6H)' });
  const rollbackRate = h('input', { type: 'number', name: 'rollbackFailureRate', id: 'wizard-rollback-rate', min: 0, max: 1, step: 0.01, placeholder: 'service default' });
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
    if (waveTimeout.value.trim()) b.waveTimeout = waveTimeout.value.trim();
    if (rollbackRate.value !== '') b.rollbackPolicy = { failedInstalls: { rate: Number(rollbackRate.value) } };
    return b;
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
    if (b.waveTimeout) parts.push('--wave-timeout ' + b.waveTimeout);
    if (b.rollbackPolicy) parts.push('--rollback-failure-rate ' + b.rollbackPolicy.failedInstalls.rate);
    return parts.join(' \\\n    ');
  }

  let seq = 0;
  let timer = null;
  let left = false;
  async function updatePreview() {
    const b = body();
    cli.textContent = commandLine(b);
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
        h('p', { class: 'muted' }, 'Excluded devices are not listed: the preview API returns counts of what matches, not which devices were left out or why (incompatible hardware, already on the release).'));
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
    field('Wave timeout', waveTimeout, 'ISO-8601 duration'), field('Roll a cohort back when failed installs reach', rollbackRate, '0..1 (failedInstalls rule)')),
  submit, result);

  clear(main, h('p', { class: 'crumbs' }, h('a', { href: '#/rollouts' }, 'Rollouts'), ' / new'),
    h('h1', {}, 'New rollout'),
    h('div', { class: 'split' }, form, h('div', {}, preview, h('h2', {}, 'The same rollout from CI'), cli)));
  updatePreview();
  return () => { left = true; clearTimeout(timer); };
}
