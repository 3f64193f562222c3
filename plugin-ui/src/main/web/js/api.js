// The panel's server API: JSON in, JSON out; errors carry the server's message (and the parameter at fault).

export class ApiError extends Error {
  constructor(message, parameter, status) {
    super(message);
    this.parameter = parameter;
    this.status = status;
  }
}

async function call(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch('/api/' + path, init);
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text }; }
  if (!r.ok) {
    throw new ApiError((data && data.error) || r.statusText, data && data.parameter, r.status);
  }
  return data;
}

export const api = {
  state: () => call('GET', 'state'),
  open: (path) => call('POST', 'project', { path }),
  thumbnail: (clip) => call('GET', 'thumbnail?clip=' + encodeURIComponent(clip)),
  effects: () => call('GET', 'effects'),
  still: (clip) => call('GET', 'still?clip=' + encodeURIComponent(clip)),
  brushes: (req) => call('POST', 'brushes', req),
  brushField: (req) => call('POST', 'brushes/field', req),
  loop: (req) => call('POST', 'loop', req),
  pose: (action, req) => call('POST', 'pose/' + action, req),
  validate: (effect, params) => call('POST', 'validate', { effect, params }),
  preview: (req) => call('POST', 'preview', req),
  submit: (req) => call('POST', 'jobs', req),
  generate: (req) => call('POST', 'generate', req),
  job: (id, action) => call('POST', 'jobs/' + encodeURIComponent(id) + '/' + action, {}),
  queue: (action) => call('POST', 'queue/' + action, {}),
  service: () => call('GET', 'service'),
};

/** Server-sent events: calls handlers[event](data) for each; the browser reconnects by itself. */
export function listen(handlers, onOpen, onError) {
  const es = new EventSource('/api/events');
  for (const [name, fn] of Object.entries(handlers)) {
    es.addEventListener(name, (e) => fn(JSON.parse(e.data)));
  }
  es.onopen = onOpen;
  es.onerror = onError;
  return es;
}
