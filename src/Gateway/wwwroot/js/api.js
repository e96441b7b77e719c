// The gateway's REST/JSON API: the same routes, rules and errors as every other client (docs/rest.md).

export class ApiError extends Error {
  constructor(status, body) {
    const reason = (body.details ?? []).map(d => d.reason).find(Boolean);
    super(reason && !String(body.message ?? '').startsWith(reason) ? `${reason}: ${body.message}` : (body.message ?? `HTTP ${status}`));
    this.status = status;
    this.reason = reason ?? '';
  }
}

/** A new request id per command: a retried command repeats its id, so it is applied once. */
export const requestId = () => crypto.randomUUID().replaceAll('-', '');

export class Api {
  constructor(key) { this.key = key; }

  headers(extra = {}) {
    return this.key ? { Authorization: 'Bearer ' + this.key, ...extra } : extra;
  }

  async call(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: this.headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiError(response.status, json);
    return json;
  }

  get(path) { return this.call('GET', path); }

  post(path, body = {}) { return this.call('POST', path, body); }
}
