// The moderator REST API (docs/design.md, HTTP surface) for one wall. Every call answers
// `{ok, status, data, detail, retryAfter}` and never throws: a network failure is status 0.

/** Return the error text of a response body (`{"detail": ...}`), or a fallback. */
export function detailOf(data, status) {
  if (data && typeof data.detail === "string") return data.detail;
  if (data && Array.isArray(data.detail) && data.detail[0] && data.detail[0].msg) return String(data.detail[0].msg);
  return status === 0 ? "cannot reach the server" : `error ${status}`;
}

export class Api {
  constructor(slug, { fetchImpl = (...args) => globalThis.fetch(...args), onUnauthorized = () => {} } = {}) {
    this.base = `/api/v1/walls/${encodeURIComponent(slug)}`;
    this.fetch = fetchImpl;
    this.onUnauthorized = onUnauthorized;
  }

  async request(method, url, body = undefined) {
    const init = { method, credentials: "same-origin", headers: { accept: "application/json" } };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await this.fetch(url, init);
    } catch {
      return { ok: false, status: 0, data: null, detail: detailOf(null, 0), retryAfter: null };
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (response.status === 401) this.onUnauthorized();
    return {
      ok: response.ok, status: response.status, data,
      detail: response.ok ? "" : detailOf(data, response.status),
      retryAfter: response.headers.get("retry-after"),
    };
  }

  posts(state, limit = 500) {
    return this.request("GET", `${this.base}/posts?state=${state}&limit=${limit}`);
  }

  /** approve | hide | unhide | pin | unpin; 409 when somebody else already decided. */
  act(postId, action, reason = undefined) {
    const body = reason ? { reason } : undefined;
    return this.request("POST", `${this.base}/posts/${encodeURIComponent(postId)}/${action}`, body);
  }

  undo(id = undefined) {
    return this.request("POST", `${this.base}/audit/undo`, id === undefined ? undefined : { id });
  }

  audit(limit = 50) {
    return this.request("GET", `${this.base}/audit?limit=${limit}`);
  }

  blocks() {
    return this.request("GET", `${this.base}/blocks`);
  }

  addBlock(kind, value, reason = undefined) {
    return this.request("POST", `${this.base}/blocks`, reason ? { kind, value, reason } : { kind, value });
  }

  removeBlock(kind, value) {
    return this.request("DELETE", `${this.base}/blocks`, { kind, value });
  }

  announcements() {
    return this.request("GET", `${this.base}/announcements`);
  }

  announce(text, startsAt = null, endsAt = null) {
    const body = { text };
    if (startsAt) body.starts_at = startsAt;
    if (endsAt) body.ends_at = endsAt;
    return this.request("POST", `${this.base}/announcements`, body);
  }

  withdraw(id) {
    return this.request("DELETE", `${this.base}/announcements/${encodeURIComponent(id)}`);
  }

  counts() {
    return this.request("GET", `${this.base}/queue`);
  }

  screens() {
    return this.request("GET", `${this.base}/screens`);
  }

  logout() {
    return this.request("POST", "/api/v1/logout");
  }
}
