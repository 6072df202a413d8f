// Updraft fleet-health dashboard: plain JS, no build step, no CDN. A snapshot from GET /api/v1/dashboard, live
// events from the SSE stream /api/v1/dashboard/events. The token travels in the updraft_token cookie, which both
// fetch and EventSource send (EventSource cannot set an Authorization header).
(function () {
  'use strict';
  const STATES = ['SUCCEEDED', 'FAILED', 'INSTALLING', 'ROLLED_BACK', 'CANCELED', 'DENIED', 'EXPIRED'];
  const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
  const $ = (id) => document.getElementById(id);
  let source = null;
  let refreshTimer = null;
  const liveRollbacks = new Map(); // rolloutId|cohort -> rollback as the SSE stream told it

  function takeTokenFromFragment() {
    const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (match) {
      setToken(decodeURIComponent(match[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
  }

  function setToken(token) {
    document.cookie = 'updraft_token=' + encodeURIComponent(token) + '; path=/; SameSite=Strict';
  }

  function hasToken() {
    return document.cookie.split(';').some((c) => c.trim().startsWith('updraft_token='));
  }

  function showLogin(message) {
    $('login').hidden = false;
    $('board').hidden = true;
    $('login-error').textContent = message || '';
    setLive(false, 'signed out');
    if (source) { source.close(); source = null; }
  }

  async function refresh() {
    refreshTimer = null;
    let response;
    try {
      response = await fetch('/api/v1/dashboard', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    } catch (e) {
      setLive(false, 'service unreachable');
      return;
    }
    if (response.status === 401 || response.status === 403) {
      showLogin(response.status === 401 ? 'That token was not accepted.' : 'That token has no viewer role.');
      return;
    }
    if (!response.ok) { setLive(false, 'error ' + response.status); return; }
    const view = await response.json();
    $('login').hidden = true;
    $('board').hidden = false;
    render(view);
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    if (!source) { connect(); }
  }

  function scheduleRefresh(delay) {
    if (!refreshTimer) { refreshTimer = setTimeout(refresh, delay); }
  }

  function connect() {
    source = new EventSource('/api/v1/dashboard/events', { withCredentials: true });
    source.onopen = () => { setLive(true, 'live'); scheduleRefresh(0); };
    source.onerror = () => setLive(false, 'reconnecting…');
    source.onmessage = (message) => {
      const event = JSON.parse(message.data);
      if (event.type === 'KeepAlive' || event.type === 'Connected') { setLive(true, 'live'); return; }
      if (event.type === 'RollbackTriggered' && event.payload) {
        const p = event.payload;
        liveRollbacks.set(p.rolloutId + '|' + p.cohort,
          { rolloutId: p.rolloutId, cohort: p.cohort, reason: p.reason, decidedAt: p.occurredAt, fresh: true });
        renderRollbacks([]);
      }
      scheduleRefresh(300); // the database catches up within a moment; the snapshot brings the figures
    };
  }

  function setLive(on, text) {
    $('live').className = 'dot ' + (on ? 'on' : 'off');
    $('live-text').textContent = text;
  }

  function render(view) {
    renderRollbacks(view.rollbacks || []);
    const container = $('rollouts');
    const seen = new Set();
    (view.rollouts || []).forEach((rollout, index) => {
      seen.add(rollout.rolloutId);
      let card = container.querySelector('[data-rollout="' + CSS.escape(rollout.rolloutId) + '"]');
      if (!card) {
        card = $('rollout-template').content.firstElementChild.cloneNode(true);
        card.dataset.rollout = rollout.rolloutId;
      }
      if (container.children[index] !== card) { container.insertBefore(card, container.children[index] || null); }
      fillRollout(card, rollout);
    });
    Array.from(container.children).forEach((card) => { if (!seen.has(card.dataset.rollout)) { card.remove(); } });
    $('no-rollouts').hidden = seen.size > 0;
  }

  function fillRollout(card, r) {
    card.querySelector('.name').textContent = r.name || r.rolloutId;
    card.querySelector('.version').textContent = r.version ? 'v' + r.version : '';
    const state = card.querySelector('.state');
    state.textContent = r.state || 'RUNNING';
    state.className = 'state badge ' + (r.state || 'RUNNING');
    card.querySelector('.waves').textContent = r.waveCount
      ? 'wave ' + (r.currentWave || 0) + ' of ' + r.waveCount : 'waves unknown';
    const devices = r.devices || {};
    const reported = STATES.reduce((sum, s) => sum + (devices[s] || 0), 0);
    const total = Math.max(r.deviceCount || 0, reported, 1);
    card.querySelector('.device-count').textContent = (r.deviceCount != null ? r.deviceCount : reported) + ' devices';
    card.querySelector('.rollout-id').textContent = r.rolloutId;
    const bar = card.querySelector('.progress');
    bar.replaceChildren(...STATES.filter((s) => devices[s]).map((s) => {
      const part = document.createElement('span');
      part.className = s;
      part.style.width = (100 * devices[s] / total) + '%';
      part.title = s + ': ' + devices[s];
      return part;
    }));
    bar.setAttribute('aria-label', STATES.map((s) => s + ' ' + (devices[s] || 0)).join(', '));
    const legend = card.querySelector('.devices');
    legend.replaceChildren(...STATES.map((s) => {
      const item = document.createElement('li');
      item.dataset.state = s;
      item.innerHTML = '<i class="' + s + '"></i>';
      item.append(s.toLowerCase().replace('_', ' ') + ' ');
      const count = document.createElement('b');
      count.className = 'count';
      count.textContent = devices[s] || 0;
      item.append(count);
      return item;
    }));
    const body = card.querySelector('tbody');
    body.replaceChildren(...(r.cohorts || []).map((c) => {
      const row = document.createElement('tr');
      row.dataset.cohort = c.cohort;
      if (c.rolledBack) { row.className = 'rolled-back'; }
      [c.cohort, c.succeeded, c.failed, (100 * c.failureRate).toFixed(0) + ' %', c.healthReports, c.crashes]
        .forEach((value) => { const cell = document.createElement('td'); cell.textContent = value; row.append(cell); });
      const tag = document.createElement('td');
      tag.innerHTML = c.rolledBack ? '<span class="tag">ROLLED BACK</span>' : '';
      if (c.rollbackReason) { tag.title = c.rollbackReason; }
      row.append(tag);
      return row;
    }));
    card.querySelector('.svg').replaceChildren(chart(r.cohorts || []));
  }

  function renderRollbacks(fromSnapshot) {
    fromSnapshot.forEach((d) => {
      const key = d.rolloutId + '|' + d.cohort;
      const live = liveRollbacks.get(key);
      liveRollbacks.set(key, Object.assign({}, d, { fresh: live ? live.fresh : false }));
    });
    const list = $('rollbacks');
    const items = Array.from(liveRollbacks.values())
      .sort((a, b) => String(b.decidedAt).localeCompare(String(a.decidedAt)));
    list.replaceChildren(...items.map((d) => {
      const item = document.createElement('li');
      item.dataset.rollout = d.rolloutId;
      item.dataset.cohort = d.cohort;
      if (d.fresh) { item.className = 'fresh'; d.fresh = false; }
      const what = document.createElement('b');
      what.textContent = d.cohort;
      const reason = document.createElement('span');
      reason.textContent = ' rolled back in ' + d.rolloutId + ': ' + d.reason;
      const when = document.createElement('span');
      when.className = 'when';
      when.textContent = d.decidedAt ? new Date(d.decidedAt).toLocaleTimeString() : '';
      item.append(what, reason, when);
      return item;
    }));
    $('no-rollbacks').hidden = items.length > 0;
  }

  // A small line chart drawn as SVG: failure rate (0..1) of each cohort at the end of each health window.
  function chart(cohorts) {
    const NS = 'http://www.w3.org/2000/svg';
    const W = 420, H = 160, L = 34, R = 8, T = 8, B = 20;
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + (H + 18 * Math.ceil(cohorts.length / 3)));
    svg.setAttribute('width', '100%');
    const el = (name, attrs, text) => {
      const node = document.createElementNS(NS, name);
      Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
      if (text != null) { node.textContent = text; }
      svg.append(node);
      return node;
    };
    const times = cohorts.flatMap((c) => (c.history || []).map((p) => Date.parse(p.at)));
    const t0 = times.length ? Math.min(...times) : 0;
    const t1 = times.length ? Math.max(...times) : 1;
    const x = (t) => L + (t1 === t0 ? (W - L - R) : (W - L - R) * (t - t0) / (t1 - t0));
    const y = (v) => T + (H - T - B) * (1 - v);
    [0, 0.25, 0.5, 0.75, 1].forEach((v) => {
      el('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: '#eef0f3' });
      el('text', { x: L - 4, y: y(v) + 3, 'text-anchor': 'end' }, (v * 100) + '%');
    });
    if (times.length) {
      el('text', { x: L, y: H - 4 }, new Date(t0).toLocaleTimeString());
      el('text', { x: W - R, y: H - 4, 'text-anchor': 'end' }, new Date(t1).toLocaleTimeString());
    } else {
      el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'waiting for the first health window…');
    }
    cohorts.forEach((c, i) => {
      const color = COLORS[i % COLORS.length];
      const pts = (c.history || []).map((p) => x(Date.parse(p.at)).toFixed(1) + ',' + y(p.failureRate).toFixed(1));
      if (pts.length === 1) {
        const [px, py] = pts[0].split(',');
        el('circle', { cx: px, cy: py, r: 3, fill: color, 'data-cohort': c.cohort });
      } else if (pts.length > 1) {
        el('polyline', { points: pts.join(' '), fill: 'none', stroke: color, 'stroke-width': 2,
          'data-cohort': c.cohort });
      }
      const lx = L + (i % 3) * 130, ly = H + 12 + 18 * Math.floor(i / 3);
      el('rect', { x: lx, y: ly - 8, width: 10, height: 10, fill: color, rx: 2 });
      el('text', { x: lx + 14, y: ly + 1 }, c.cohort + (c.rolledBack ? ' (rolled back)' : ''));
    });
    return svg;
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    setToken($('token').value.trim());
    refresh();
  });
  takeTokenFromFragment();
  if (hasToken()) { refresh(); } else { showLogin(); }
  setInterval(() => { if (!$('board').hidden) { scheduleRefresh(0); } }, 5000);
})();
