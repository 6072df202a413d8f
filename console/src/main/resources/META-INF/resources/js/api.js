// The management APIs, under the console's own origin: /release, /rollout, /gateway and /telemetry in front of each
// service's /api/v1/... path (the same prefixes as the Kubernetes HTTPRoute). Errors are the services' problem+json.
import { token, signOut } from './session.js';

export class ApiError extends Error {
  constructor(status, detail, problem) {
    super(detail);
    this.status = status;
    this.problem = problem;
  }
}

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const t = token();
  if (t) h.Authorization = 'Bearer ' + t;
  return h;
}

async function failure(response) {
  let problem = null;
  try { problem = await response.json(); } catch { /* not JSON */ }
  let detail = (problem && (problem.detail || problem.title)) || response.statusText || 'request failed';
  if (problem && Array.isArray(problem.errors)) {
    detail += problem.errors.map(e => '; ' + (e.field || '') + ': ' + (e.message || '')).join('');
  }
  if (response.status === 401) {
    signOut();
    detail = 'Your token was refused (401): ' + detail + ' — sign in again.';
  } else if (response.status === 403) {
    detail = 'Not allowed for your roles (403): ' + detail;
  }
  return new ApiError(response.status, detail, problem);
}

/**
 * GET/POST JSON; resolves {data, headers}. `json` instead of `body`: a request body already written as JSON text (big
 * integers that a JavaScript number would round), sent as `contentType`.
 */
export async function call(path, { method = 'GET', body, json, contentType = 'application/json' } = {}) {
  const payload = json !== undefined ? json : body !== undefined ? JSON.stringify(body) : undefined;
  const init = { method, headers: headers(payload === undefined ? {} : { 'Content-Type': contentType }) };
  if (payload !== undefined) init.body = payload;
  const response = await fetch(path, init);
  if (!response.ok) throw await failure(response);
  const text = await response.text();
  return { data: text ? JSON.parse(text) : null, headers: response.headers };
}

export async function get(path) {
  return (await call(path)).data;
}

export async function post(path, body = {}) {
  return (await call(path, { method: 'POST', body })).data;
}

/** One path segment, encoded (ids may hold ':' or '@'). */
export const seg = s => encodeURIComponent(String(s));

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && String(v).trim() !== '') q.set(k, String(v).trim());
  }
  const s = q.toString().replace(/\+/g, '%20');
  return s ? '?' + s : '';
}

/**
 * POST multipart form data with upload progress (fetch cannot report it): the browser streams the file, the console
 * streams it on to release-service. onProgress(sentBytes, totalBytes).
 */
export function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    const h = headers();
    for (const [k, v] of Object.entries(h)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, data: body });
      else reject(new ApiError(xhr.status, (body && (body.detail || body.title)) || 'upload failed (' + xhr.status + ')', body));
    };
    xhr.onerror = () => reject(new ApiError(0, 'the upload was interrupted (network error)'));
    xhr.onabort = () => reject(new ApiError(0, 'the upload was canceled'));
    xhr.send(form);
  });
}

/**
 * Follows a server-sent event stream with the bearer header (EventSource cannot send one): onEvent(json) for each
 * event, onState(true|false) when the stream connects or drops. Reconnects after a drop while not stopped.
 * @return a function that stops following
 */
export function follow(path, onEvent, onState) {
  let stopped = false;
  let controller = null;
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal: controller.signal });
        if (!response.ok || !response.body) throw new Error('stream answered ' + response.status);
        onState(true);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n/g, '\n');
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).replace(/^ /, '')).join('\n');
            if (data) {
              try { onEvent(JSON.parse(data)); } catch { /* not JSON: ignore */ }
            }
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      onState(false);
      if (!stopped) await new Promise(r => setTimeout(r, 3000));
    }
  };
  run();
  return () => { stopped = true; if (controller) controller.abort(); };
}
