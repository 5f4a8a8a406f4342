// The one way the panel talks to the server: the public API under /api/v1, JSON, with the session cookie.
// Requests that change something carry the session's anti-forgery token (from GET /sessions/current).

let csrfToken = null;
let onSignedOut = () => {};

export function useSession(session) { csrfToken = session ? session.csrf_token : null; }
export function whenSignedOut(handler) { onSignedOut = handler; }

/** An error answer of the API: its status, error id, message, request id and per-field errors. */
export class ApiFailure extends Error {
  constructor(status, body, requestId, retryAfter) {
    super(body.message || `The request failed with status ${status}.`);
    this.status = status;
    this.id = body.id || 'error';
    this.requestId = body.request_id || requestId || null;
    this.fields = Array.isArray(body.errors) ? body.errors : [];
    this.retryAfter = retryAfter ? Number(retryAfter) : null;
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch('/api/v1' + path, {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, { id: 'network', message: 'The server could not be reached. Check your connection and try again.' });
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const failure = new ApiFailure(response.status, data || {}, response.headers.get('X-Request-Id'), response.headers.get('Retry-After'));
    // An ended session (expired, signed out elsewhere) sends the browser back to sign-in, except for sign-in itself.
    if (response.status === 401 && path !== '/sessions') onSignedOut();
    throw failure;
  }
  return data;
}

/**
 * PUTs a file's bytes as they are (application/octet-stream), streamed by the browser, with the same cookie and
 * anti-forgery token as api(). XMLHttpRequest rather than fetch because only it reports upload progress:
 * `progress(sent, total)` is called as the bytes go out.
 */
export function upload(path, file, progress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', '/api/v1' + path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = e => progress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiFailure(0, { id: 'network', message: 'The upload was cut off. Check your connection and try again.' }));
    xhr.onload = () => {
      let data = null;
      try { data = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data);
      if (xhr.status === 401) onSignedOut();
      reject(new ApiFailure(xhr.status, data || {}, xhr.getResponseHeader('X-Request-Id'), xhr.getResponseHeader('Retry-After')));
    };
    xhr.send(file);
  });
}

export const get = path => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const put = (path, body) => api('PUT', path, body);
export const del = path => api('DELETE', path);

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}
