// Every action of the studio is one of these calls to the REST API (docs/api.md), with the
// key the user signed in with, kept in this tab's session storage only.
const KEY = 'relais.apiKey';

export function key() {
  return sessionStorage.getItem(KEY);
}

export function signIn(value) {
  sessionStorage.setItem(KEY, value);
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** A failed call: the RFC 9457 problem the API answered. */
export class Problem extends Error {
  constructor(status, body) {
    super(body && (body.detail || body.title) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

/** Calls the API; resolves to the answer's JSON, rejects with a Problem. */
export async function call(method, path, body, contentType = 'application/json') {
  const headers = { 'X-API-Key': key() || '', Accept: 'application/json, application/problem+json' };
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
    init.body = contentType === 'application/json' ? JSON.stringify(body) : body;
  }
  const response = await fetch('/api/v1' + path, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = { detail: text };
  }
  if (!response.ok) {
    throw new Problem(response.status, json);
  }
  return json;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);
export const put = (path, body) => call('PUT', path, body);

/** A path segment, encoded. */
export const seg = (text) => encodeURIComponent(text);
