// api.js - the one place that talks to the yingji HTTP API.
// The session cookie is HttpOnly and set by the server; the CSRF token is kept
// in memory only and sent on every state-changing request.

let csrfToken = null;
let onUnauthenticated = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

// Called (once per failing request) when the server answers 401.
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn;
}

export class ApiError extends Error {
  constructor(status, code, message, field, retryAfter) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.field = field || null;
    this.retryAfter = retryAfter || null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function buildUrl(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

// Performs one request. Resolves to {status, data, etag}; rejects with ApiError.
// options: {query, body, raw, ifMatch, quiet401}; raw is a Blob/File sent as the
// body itself (an attachment upload), body an object sent as JSON.
export async function request(method, path, options = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (options.raw !== undefined) {
    headers['Content-Type'] = 'application/octet-stream';
    init.body = options.raw;
  } else if (options.body !== undefined) {
    headers['Content-Type'] =
      method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  let resp;
  try {
    resp = await fetch(buildUrl(path, options.query), init);
  } catch (e) {
    throw new ApiError(0, 'network', String(e && e.message ? e.message : e));
  }
  let data = null;
  const type = resp.headers.get('Content-Type') || '';
  if (resp.status !== 204 && type.startsWith('application/json')) {
    try {
      data = await resp.json();
    } catch (e) {
      data = null;
    }
  }
  if (!resp.ok) {
    const err = (data && data.error) || {};
    const apiErr = new ApiError(
      resp.status,
      err.code || `http_${resp.status}`,
      err.message || resp.statusText,
      err.field,
      resp.headers.get('Retry-After'),
    );
    if (resp.status === 401 && !options.quiet401 && onUnauthenticated) onUnauthenticated(apiErr);
    throw apiErr;
  }
  return { status: resp.status, data, etag: resp.headers.get('ETag') };
}

export const get = (path, query, opts = {}) => request('GET', path, { ...opts, query });
export const post = (path, body, opts = {}) => request('POST', path, { ...opts, body });
export const put = (path, body, opts = {}) => request('PUT', path, { ...opts, body });
export const patch = (path, body, opts = {}) => request('PATCH', path, { ...opts, body });
export const del = (path, opts = {}) => request('DELETE', path, opts);

// Uploads a file as the raw request body: POST path?kind=&filename= (docs/api-attach.md).
export function upload(path, file, query) {
  return request('POST', path, { raw: file, query });
}

// Every item of a paged list (follows next_cursor; limit 200 a page).
export async function getAll(path, query = {}) {
  let items = [];
  let cursor = null;
  for (let i = 0; i < 100; i++) {
    const { data } = await get(path, { ...query, limit: 200, cursor: cursor || undefined });
    items = items.concat(data.items || []);
    cursor = data.next_cursor;
    if (!cursor) break;
  }
  return items;
}

// --- session ---------------------------------------------------------------------

export async function login(username, password) {
  const { data } = await request('POST', '/api/v1/session', {
    body: { username, password },
    quiet401: true,
  });
  setCsrfToken(data.csrf_token);
  return data;
}

// The current session, or null when there is none.
export async function currentSession() {
  try {
    const { data } = await request('GET', '/api/v1/session', { quiet401: true });
    setCsrfToken(data.csrf_token);
    return data;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function logout() {
  try {
    await request('DELETE', '/api/v1/session', { quiet401: true });
  } finally {
    setCsrfToken(null);
  }
}

// --- reference lists (cached for the page's life) ----------------------------------

const refCache = new Map();
const refLoaded = new Map();

// A reference list if it has already arrived, else null (for synchronous rendering).
export function referenceNow(name) {
  return refLoaded.get(name) || null;
}

// Forgets a cached list once it was edited (the reference page), so the other pages
// read the new rows.
export function referenceForget(name) {
  refCache.delete(name);
  refLoaded.delete(name);
}

export function reference(name) {
  if (!refCache.has(name)) {
    const p = get(`/api/v1/reference/${name}`).then((r) => {
      refLoaded.set(name, r.data.items);
      return r.data.items;
    });
    p.catch(() => refCache.delete(name));
    refCache.set(name, p);
  }
  return refCache.get(name);
}
