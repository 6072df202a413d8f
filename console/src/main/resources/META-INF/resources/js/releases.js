// Releases: list and search, one release (artifacts, hashes, sizes, signatures, hardware, rollouts that used it,
// promote / publish a draft / revoke), and publishing a new release by uploading files with a progress bar.
import { h, clear, table, field, bytes, when, stateTag, error, toast, actionButton } from './ui.js';
import { call, get, post, seg, query, upload } from './api.js';
import { can } from './session.js';

const BASE = '/release/api/v1/releases';

export async function list(main, params) {
  const name = h('input', { type: 'search', name: 'name', value: params.get('name') || '' });
  const state = h('select', { name: 'state' },
    ['', 'DRAFT', 'PUBLISHED', 'STABLE', 'REVOKED'].map(s =>
      h('option', { value: s, selected: (params.get('state') || '') === s }, s || 'any')));
  const form = h('form', { class: 'search', role: 'search', onsubmit: e => {
    e.preventDefault();
    location.hash = '#/releases' + query({ name: name.value, state: state.value });
  } }, field('Name', name, 'exact release name'), field('State', state), h('button', { type: 'submit' }, 'Search'));
  const results = h('div', { id: 'release-results' });
  clear(main,
    h('div', { class: 'title' }, h('h1', {}, 'Releases'),
      can('publisher') ? h('a', { class: 'button', href: '#/releases/new', id: 'new-release' }, 'Publish a release') : null),
    form, results);

  let cursor = null;
  const rows = [];
  const more = h('button', { type: 'button', id: 'more-releases', hidden: true }, 'Load more');
  const render = () => clear(results, table('Releases, newest first', [
    { label: 'Name', cell: r => h('a', { href: '#/releases/' + seg(r.id) }, r.name) },
    { label: 'Version', cell: r => r.version },
    { label: 'State', cell: r => stateTag(r.state) },
    { label: 'Hardware', cell: r => (r.hardware || []).map(hw => hw.model + ':' + hw.revision).join(', ') },
    { label: 'Artifacts', cell: r => String((r.artifacts || []).length), class: 'num' },
    { label: 'Created', cell: r => when(r.createdAt) },
  ], rows, r => ({ dataset: { release: r.id } })), more);
  const load = async () => {
    const { data, headers } = await call(BASE + query({ name: params.get('name'), state: params.get('state'), limit: 50, cursor }));
    rows.push(...data);
    cursor = headers.get('Next-Cursor');
    more.hidden = !cursor;
    render();
  };
  more.addEventListener('click', () => load().catch(e => toast(e.message)));
  try {
    await load();
  } catch (e) {
    clear(results, error(e));
  }
}

export async function detail(main, id) {
  const release = await get(BASE + '/' + seg(id));
  const actions = h('div', { class: 'actions', id: 'release-actions' });
  const reason = h('input', { type: 'text', id: 'revoke-reason', maxlength: 1000 });
  const refresh = () => detail(main, id);
  if (release.state === 'DRAFT' && can('publisher')) {
    actions.append(actionButton('Publish draft', async () => {
      await post(BASE + '/' + seg(id) + '/publish');
      toast('Published ' + release.name + ' ' + release.version);
      await refresh();
    }, { id: 'publish-draft' }));
  }
  if (release.state === 'PUBLISHED' && can('operator', 'publisher')) {
    actions.append(actionButton('Promote to stable', async () => {
      await post(BASE + '/' + seg(id) + '/promote');
      toast('Promoted ' + release.name + ' ' + release.version);
      await refresh();
    }, { id: 'promote' }));
  }
  if (release.state !== 'REVOKED' && can('operator', 'publisher')) {
    actions.append(h('div', { class: 'inline' }, field('Revoke reason', reason),
      actionButton('Revoke', async () => {
        if (!confirm('Revoke ' + release.name + ' ' + release.version + '? Its running rollouts are aborted.')) return;
        await post(BASE + '/' + seg(id) + '/revoke', reason.value.trim() ? { reason: reason.value.trim() } : {});
        toast('Revoked');
        await refresh();
      }, { id: 'revoke', class: 'danger' })));
  }
  if (release.state !== 'REVOKED' && release.state !== 'DRAFT' && can('operator')) {
    actions.append(h('a', { class: 'button', href: '#/rollouts/new' + query({ release: release.id }), id: 'roll-out' }, 'Roll out…'));
  }
  const used = h('div', { id: 'release-rollouts' }, h('p', { class: 'muted' }, 'Loading rollouts…'));
  clear(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/releases' }, 'Releases'), ' / ', release.name),
    h('div', { class: 'title' }, h('h1', { id: 'release-title' }, release.name + ' ', h('span', { class: 'version' }, release.version)), stateTag(release.state)),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Id'), h('dd', {}, h('code', {}, release.id)),
      h('dt', {}, 'Created'), h('dd', {}, when(release.createdAt)),
      h('dt', {}, 'State since'), h('dd', {}, when(release.stateChangedAt)),
      release.minInstalledVersion ? [h('dt', {}, 'Upgrades from'), h('dd', {}, release.minInstalledVersion + ' or later')] : null,
      release.revokedReason ? [h('dt', {}, 'Revoked because'), h('dd', {}, release.revokedReason)] : null,
      release.notes ? [h('dt', {}, 'Notes'), h('dd', { class: 'notes' }, release.notes)] : null,
      Object.keys(release.labels || {}).length ? [h('dt', {}, 'Labels'), h('dd', {}, Object.entries(release.labels).map(([k, v]) => h('span', { class: 'label' }, k + '=' + v)))] : null),
    actions,
    h('h2', {}, 'Hardware compatibility'),
    h('ul', { id: 'hardware' }, (release.hardware || []).map(hw =>
      h('li', {}, h('code', {}, hw.model + ':' + hw.revision), hw.revision === '*' ? ' (any revision)' : ''))),
    h('h2', {}, 'Artifacts'),
    table('Artifacts of ' + release.name + ' ' + release.version, [
      { label: 'File', cell: a => a.filename },
      { label: 'Part', cell: a => a.part },
      { label: 'Size', cell: a => h('span', { title: a.size + ' bytes', dataset: { bytes: a.size } }, bytes(a.size)), class: 'num' },
      { label: 'Hashes', cell: a => h('dl', { class: 'hashes' },
        h('dt', {}, 'sha256'), h('dd', {}, h('code', { class: 'sha256' }, a.sha256)),
        h('dt', {}, 'sha1'), h('dd', {}, h('code', {}, a.sha1)),
        h('dt', {}, 'md5'), h('dd', {}, h('code', {}, a.md5))) },
      { label: 'Signature', cell: a => a.signedBy ? h('span', { class: 'tag ok' }, 'signed by ' + a.signedBy) : h('span', { class: 'tag' }, 'unsigned') },
    ], release.artifacts || [], a => ({ dataset: { artifact: a.id } })),
    h('h2', {}, 'Rollouts of this release'),
    used);
  try {
    const rollouts = await rolloutsOf(release.id, n => {
      if (!used.isConnected) return false; // the operator went elsewhere: stop paging
      clear(used, h('p', { class: 'muted' }, 'Loading rollouts… ' + n + ' so far'));
      return true;
    });
    if (!rollouts) return;
    clear(used, h('p', { class: 'muted', id: 'release-rollouts-count' },
      rollouts.length === 1 ? '1 rollout, newest first' : rollouts.length + ' rollouts, newest first'),
    table('Rollouts of ' + release.name + ' ' + release.version, [
      { label: 'Rollout', cell: r => h('a', { href: '#/rollouts/' + seg(r.id) }, r.name || r.id) },
      { label: 'State', cell: r => stateTag(r.state) },
      { label: 'Created', cell: r => when(r.createdAt) },
    ], rollouts, r => ({ dataset: { rollout: r.id } })));
  } catch (e) {
    clear(used, error(e));
  }
}

/**
 * Every rollout of a release, newest first: rollout-service filters by release and pages with Next-Cursor, which is
 * followed to the last page (pages of 100: each rollout's view costs the service a few queries). onPage(loaded so far)
 * answers whether to go on; null when it said no.
 */
async function rolloutsOf(releaseId, onPage) {
  const all = [];
  let cursor;
  do {
    const { data, headers } = await call('/rollout/api/v1/rollouts' + query({ releaseId, limit: 100, cursor }));
    all.push(...data);
    cursor = headers.get('Next-Cursor');
    if (cursor && !onPage(all.length)) return null;
  } while (cursor);
  return all;
}

export function publish(main) {
  if (!can('publisher')) {
    clear(main, h('h1', {}, 'Publish a release'), h('p', { class: 'error', role: 'alert' }, 'Publishing needs the publisher role.'));
    return;
  }
  const name = h('input', { type: 'text', name: 'name', required: true, pattern: '[A-Za-z0-9._\\-]{1,100}' });
  const version = h('input', { type: 'text', name: 'version', required: true, placeholder: '1.2.0' });
  const hardware = h('input', { type: 'text', name: 'hardware', required: true, placeholder: 'gw-200:1.0, gw-100:*' });
  const part = h('input', { type: 'text', name: 'part', placeholder: 'os' });
  const minInstalled = h('input', { type: 'text', name: 'minInstalledVersion' });
  const notes = h('textarea', { name: 'notes', rows: 3 });
  const files = h('input', { type: 'file', name: 'file', multiple: true, required: true });
  const draft = h('input', { type: 'checkbox', name: 'draft' });
  const progress = h('progress', { id: 'upload-progress', max: 100, value: 0, hidden: true });
  const status = h('p', { id: 'upload-status', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', id: 'publish' }, 'Upload and publish');
  const form = h('form', { class: 'card', id: 'publish-form', onsubmit: async e => {
    e.preventDefault();
    const hw = hardware.value.split(',').map(s => s.trim()).filter(Boolean).map(s => {
      const i = s.lastIndexOf(':');
      return i > 0 ? { model: s.slice(0, i).trim(), revision: s.slice(i + 1).trim() } : { model: s, revision: '*' };
    });
    const metadata = { name: name.value.trim(), version: version.value.trim(), hardware: hw };
    if (notes.value.trim()) metadata.notes = notes.value;
    if (minInstalled.value.trim()) metadata.minInstalledVersion = minInstalled.value.trim();
    const body = new FormData();
    body.append('metadata', JSON.stringify(metadata));
    if (part.value.trim()) body.append('part', part.value.trim());
    if (draft.checked) body.append('draft', 'true');
    for (const f of files.files) body.append('file', f, f.name);
    submit.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    status.textContent = 'Uploading…';
    try {
      const { status: code, data } = await upload(BASE, body, (sent, total) => {
        progress.value = Math.round(sent * 100 / total);
        status.textContent = 'Uploading… ' + bytes(sent) + ' of ' + bytes(total);
      });
      progress.value = 100;
      status.textContent = code === 201 ? 'Published.' : 'Already there (identical).';
      toast((code === 201 ? 'Published ' : 'Already published: ') + data.name + ' ' + data.version);
      location.hash = '#/releases/' + seg(data.id);
    } catch (err) {
      status.textContent = err.message;
      status.className = 'error';
    } finally {
      submit.disabled = false;
    }
  } },
  h('h1', {}, 'Publish a release'),
  field('Name', name, 'letters, digits, . _ -'),
  field('Version', version, 'SemVer, e.g. 1.2.0'),
  field('Hardware', hardware, 'model:revision, comma-separated; * = any revision'),
  field('Files', files, 'the artifacts; hashed by the release-service while they arrive'),
  field('Software module (part)', part, 'default os'),
  field('Minimum installed version', minInstalled, 'optional: devices must run at least this'),
  field('Release notes', notes),
  h('div', { class: 'field check' }, draft, h('label', { for: (draft.id = 'draft') }, 'Store as a draft (announce later)')),
  submit, progress, status);
  clear(main, h('p', { class: 'crumbs' }, h('a', { href: '#/releases' }, 'Releases'), ' / publish'), form);
  name.focus();
}
