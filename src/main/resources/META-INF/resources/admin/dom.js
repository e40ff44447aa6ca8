// DOM building and formatting. Every text from the API goes in as a text node (never as HTML): error messages and
// ffmpeg log tails are influenced by whoever uploaded the source.

/** el('td', {class: 'x', dataset: {testid: 'y'}}, 'text', childNode, null) */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      node.className = value;
    } else if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (name === 'testid') {
      node.dataset.testid = value;
    } else if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(node, child);
    } else {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

export function show(node, visible) {
  node.hidden = !visible;
}

export function message(node, text) {
  node.textContent = text || '';
  node.hidden = !text;
}

/** A CSS class for a job state; anything unexpected from the API gets a neutral one. */
export function stateClass(state) {
  return `state-${/^[a-z]+$/.test(state || '') ? state : 'unknown'}`;
}

export function stateBadge(state) {
  return el('span', { class: `badge ${stateClass(state)}`, testid: 'job-state' }, state);
}

export function progressBar(percent, state) {
  const value = Math.max(0, Math.min(100, Number(percent) || 0));
  const bar = el('span', { class: 'bar' });
  bar.style.width = `${value}%`;
  return el('span', {
    class: `progress ${stateClass(state)}`, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
    'aria-valuenow': value, testid: 'job-progress', dataset: { value },
  }, el('span', { class: 'track' }, bar), el('span', { class: 'pct' }, `${value}%`));
}

const pad = (n) => String(n).padStart(2, '0');

/** Local wall time, with the date when it is not today; the ISO instant goes into the title. */
export function time(iso) {
  if (!iso) {
    return el('span', { class: 'muted' }, '–');
  }
  const date = new Date(iso);
  const now = new Date();
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  const sameDay = date.toDateString() === now.toDateString();
  const text = sameDay ? clock : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock}`;
  return el('time', { datetime: iso, title: iso }, text);
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return '–';
  }
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  }
  if (s < 86400) {
    return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
  }
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

export function ago(iso) {
  if (!iso) {
    return el('span', { class: 'muted' }, 'never');
  }
  return el('time', { datetime: iso, title: iso }, `${duration((Date.now() - Date.parse(iso)) / 1000)} ago`);
}

export function speed(value) {
  return value === null || value === undefined ? '–' : `${Number(value).toFixed(2)}×`;
}

export function bytes(n) {
  if (n === null || n === undefined) {
    return '–';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Number(n);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]} (${Number(n).toLocaleString('en')} bytes)`;
}

export function shortId(id) {
  return id ? String(id).slice(0, 8) : '–';
}

/** First line of an error, cut to fit a table cell; the whole text stays in the title. */
export function shortError(text) {
  if (!text) {
    return el('span', { class: 'muted' }, '');
  }
  const first = String(text).split('\n')[0];
  const cut = first.length > 90 ? `${first.slice(0, 89)}…` : first;
  return el('span', { class: 'error-text', title: String(text), testid: 'job-error' }, cut);
}
