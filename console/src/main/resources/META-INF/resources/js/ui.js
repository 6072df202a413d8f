// Small DOM helpers: elements are built, never assembled from HTML strings (no injection from API data).

/** h('a', {href: '#/x', class: 'c'}, 'text', child, …): attributes starting with "on" are listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table: columns [{label, cell: row => node|text, class?}], rows; caption for screen readers. */
export function table(caption, columns, rows, rowAttrs = () => ({})) {
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.class }, c.label)))),
    h('tbody', {}, rows.length === 0
      ? h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, 'none'))
      : rows.map(r => h('tr', rowAttrs(r), columns.map(c => h('td', { class: c.class }, c.cell(r)))))));
}

/** A labelled form field: label + control (+ hint), ids generated. */
let ids = 0;
export function field(label, control, hint) {
  const id = control.id || 'f' + (++ids);
  control.id = id;
  const hintEl = hint ? h('small', { id: id + '-hint', class: 'hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', id + '-hint');
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

export function bytes(n) {
  if (n === null || n === undefined) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Number(n);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return (u === 0 ? v : v.toFixed(1)) + ' ' + units[u];
}

export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function stateTag(state) {
  return h('span', { class: 'tag state-' + String(state || '').toLowerCase() }, String(state || '').replace(/_/g, ' '));
}

export function error(e) {
  return h('p', { class: 'error', role: 'alert' }, e && e.message ? e.message : String(e));
}

export function toast(text) {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.classList.add('on');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('on'), 6000);
}

/** Calls fn now and every `ms` until the page is left; returns the stop function. Never overlaps itself. */
export function every(ms, fn, { now = true } = {}) {
  let stopped = false;
  let timer = null;
  const tick = async () => {
    if (stopped) return;
    try { await fn(); } catch (e) { console.warn(e); }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  if (now) tick(); else timer = setTimeout(tick, ms);
  return () => { stopped = true; clearTimeout(timer); };
}

/** A button that disables itself while its action runs and reports the outcome. */
export function actionButton(label, action, attrs = {}) {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await action();
    } catch (e) {
      toast(e.message || String(e));
    } finally {
      b.disabled = false;
    }
  });
  return b;
}
