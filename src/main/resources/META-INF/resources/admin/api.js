// The operator API, relative to this page (/admin/ → /api/v1/admin/), so the page also works behind a path prefix.
export const API_BASE = new URL('../api/v1/admin/', document.baseURI);

/** A refused or failed call; `message` is the problem+json detail when the API gave one. */
export class ApiError extends Error {
  constructor(status, problem, fallback) {
    super((problem && (problem.detail || problem.title)) || fallback);
    this.status = status;
    this.problem = problem;
  }

  get unauthorised() {
    return this.status === 401 || this.status === 403;
  }
}

/**
 * Calls with the bearer token from getToken(); a 401/403 is reported to onUnauthorised (once per call) and thrown.
 */
export function createApi(getToken, onUnauthorised) {
  async function request(method, path, query, signal, payload) {
    const url = new URL(path, API_BASE);
    for (const [name, value] of Object.entries(query || {})) {
      if (value !== undefined && value !== null && value !== '') {
        url.searchParams.set(name, value);
      }
    }
    let response;
    try {
      response = await fetch(url, {
        method,
        headers: payload === undefined
          ? { Authorization: `Bearer ${getToken()}`, Accept: 'application/json' }
          : { Authorization: `Bearer ${getToken()}`, Accept: 'application/json', 'Content-Type': 'application/json' },
        body: payload === undefined ? undefined : JSON.stringify(payload),
        cache: 'no-store',
        signal,
      });
    } catch (e) {
      if (e.name === 'AbortError') {
        throw e;
      }
      throw new ApiError(0, null, `The API cannot be reached (${e.message}).`);
    }
    const type = response.headers.get('Content-Type') || '';
    const body = type.includes('json') ? await response.json().catch(() => null) : null;
    if (!response.ok) {
      const error = new ApiError(response.status, body, `${method} ${url.pathname} answered HTTP ${response.status}.`);
      if (error.unauthorised) {
        onUnauthorised(error);
      }
      throw error;
    }
    return body;
  }

  return {
    get: (path, query, signal) => request('GET', path, query, signal),
    post: (path) => request('POST', path),
    put: (path, payload) => request('PUT', path, null, undefined, payload),
    url: (path) => new URL(path, API_BASE),
  };
}
