// Calls to the engine's API. The API key (when the engine has keys) is asked for once, kept in
// sessionStorage for this browser session and sent as the X-API-Key header: never in a URL.
const KEY = 'meterflow.apiKey';

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let asking = null;

/** Asks for the key in the key dialog; resolves when one was entered. */
export function askKey(problem) {
  if (asking) return asking;
  const dialog = document.getElementById('key-dialog');
  const input = document.getElementById('key-input');
  const error = document.getElementById('key-error');
  error.hidden = !problem;
  error.textContent = problem || '';
  input.value = '';
  asking = new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      asking = null;
      const key = input.value.trim();
      if (key) sessionStorage.setItem(KEY, key);
      document.getElementById('key-button').hidden = false;
      resolve();
    }, { once: true });
  });
  dialog.showModal();
  input.focus();
  return asking;
}

function headers(extra) {
  const h = new Headers(extra || {});
  const key = sessionStorage.getItem(KEY);
  if (key) h.set('X-API-Key', key);
  return h;
}

async function send(path, options = {}) {
  const init = { method: options.method || 'GET', headers: headers(options.headers) };
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers.set('Content-Type', 'application/json');
  }
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(path, init);
    if (response.status === 401 && attempt < 5) {
      await askKey(sessionStorage.getItem(KEY) ? 'That key was refused: enter a valid one.' : null);
      init.headers = headers(options.headers);
      if (options.body !== undefined) init.headers.set('Content-Type', 'application/json');
      continue;
    }
    if (!response.ok) {
      let code = 'HTTP_' + response.status;
      let message = response.statusText;
      let details;
      try {
        const body = await response.json();
        if (body && body.error) ({ code, message, details } = body.error);
      } catch (ignored) { /* not JSON */ }
      throw new ApiError(response.status, code, message, details);
    }
    return response;
  }
}

/** GET (or another method with a JSON body) answering JSON. */
export async function api(path, options) {
  const response = await send(path, options);
  return response.json();
}

/** The body of a download as a file the browser saves, under the name the engine gave it. */
export async function download(path, options) {
  const response = await send(path, options);
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename="([^"]+)"/.exec(disposition);
  const name = match ? match[1] : 'export.csv';
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { name, size: blob.size };
}

/** Builds a query string from the defined values of {@code params}. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
