// The producers' analytics page: one series' funnel, drop-off and per-episode table from
// GET /api/v1/producer/series/{id}/analytics. Every API text goes into the page as text, never as HTML.
const API = new URL('../../api/v1/producer/', document.baseURI);
const TOKEN_KEY = 'microdrama.producerToken';
const $ = (id) => document.getElementById(id);
let report = null;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'class') node.className = value;
    else if (name === 'style') Object.assign(node.style, value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

const percent = (rate) => `${(rate * 100).toFixed(1)}%`;

async function call(path, query = {}, accept = 'application/json') {
  const url = new URL(path, API);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const response = await fetch(url, { headers: { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}`, Accept: accept } });
  if (!response.ok) {
    let detail = `${response.status}`;
    try { detail = (await response.json()).detail || detail; } catch { /* not problem+json */ }
    const error = new Error(detail);
    error.status = response.status;
    throw error;
  }
  return accept === 'application/json' ? response.json() : response.text();
}

function show(id, visible) { $(id).hidden = !visible; }
function message(id, text) { $(id).textContent = text || ''; show(id, Boolean(text)); }

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    const page = await call('series', { limit: 100 });
    const select = $('series');
    select.replaceChildren(...page.items.map((s) => el('option', { value: s.id }, s.title)));
    const wanted = new URLSearchParams(location.search).get('series');
    if (wanted) select.value = wanted;
    show('signin', false); show('report-view', true); show('sign-out', true);
    if (select.value) await load();
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    show('signin', true); show('report-view', false);
    message('signin-message', e.status === 401 || e.status === 403 ? 'Token refused: sign in with a producer token' : e.message);
  }
}

async function load() {
  message('message', '');
  try {
    report = await call(`series/${$('series').value}/analytics`, { from: $('from').value, to: $('to').value });
    render();
    $('csv').disabled = false;
  } catch (e) {
    show('report', false);
    message('message', e.message);
  }
}

function render() {
  const { funnel, episodes, distributionIndex: index } = report;
  $('started-first').textContent = funnel.startedFirst;
  $('first-locked').textContent = funnel.firstLockedEpisode;
  $('paid-first-locked').textContent = `${funnel.paidAtFirstLocked} (${percent(funnel.paidShare)})`;
  $('index-score').textContent = index ? index.score.toFixed(1) : '–';
  $('index-components').textContent = index
    ? `rank ${index.rank} · reach ${index.reach} · completion ${percent(index.completion)} · continue ${percent(index.continuation)} · conversion ${percent(index.conversion)}`
    : 'computed daily';

  $('funnel').replaceChildren(...funnel.steps.map((step) => el('div', {
    class: `bar-row${step.number >= funnel.firstLockedEpisode ? ' locked' : ''}`,
    'data-testid': 'funnel-step', 'data-number': step.number, 'data-reached': step.reached,
  }, el('span', {}, `Episode ${step.number}`),
  el('div', { class: 'bar-track' }, el('div', { class: 'bar-fill', style: { width: percent(step.share) } })),
  el('span', { class: 'small' }, `${step.reached} · ${percent(step.share)}`))));

  const picker = $('dropoff-episode');
  picker.replaceChildren(...episodes.map((e) => el('option', { value: e.number }, `${e.number}`)));
  renderDropoff();

  $('episodes').replaceChildren(...episodes.map((e) => el('tr', { 'data-testid': 'episode-row', 'data-number': e.number },
    el('td', {}, `${e.number}`), el('td', { class: 'num' }, `${e.views}`),
    el('td', { class: 'num' }, e.uniqueViewers === null ? '–' : `${e.uniqueViewers}`),
    el('td', { class: 'num' }, percent(e.completionRate)), el('td', { class: 'num' }, percent(e.averageShareWatched)),
    el('td', { class: 'num' }, percent(e.continueRate)),
    el('td', { class: 'num' }, e.paywallShown ? `${e.paywallConverted}/${e.paywallShown}` : '–'),
    el('td', { class: 'num' }, `${e.unlocks}`), el('td', { class: 'num' }, `${e.coins}`),
    el('td', { class: 'num' }, `${e.adUnlocks}`))));
  show('report', true);
}

function renderDropoff() {
  const episode = report.episodes.find((e) => `${e.number}` === $('dropoff-episode').value);
  const counts = episode ? episode.dropoff : [];
  const most = Math.max(1, ...counts);
  $('dropoff').replaceChildren(...counts.map((count, bucket) => el('div', {
    class: 'column', 'data-testid': 'dropoff-bar', 'data-bucket': bucket, 'data-count': count,
  }, el('span', {}, `${count}`), el('div', { class: 'column-fill', style: { height: `${(count / most) * 85}%` } }),
  el('span', { class: 'muted' }, `${bucket * 10}%`))));
}

async function downloadCsv() {
  const csv = await call(`series/${$('series').value}/analytics`, { from: $('from').value, to: $('to').value, format: 'csv' }, 'text/csv');
  const link = el('a', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })),
    download: `analytics-${$('series').value}-${$('from').value}-${$('to').value}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
}

function init() {
  const today = new Date().toISOString().slice(0, 10);
  $('to').value = today;
  $('from').value = new Date(Date.now() - 29 * 86400000).toISOString().slice(0, 10);
  $('signin').addEventListener('submit', (e) => { e.preventDefault(); message('signin-message', ''); signIn($('token').value.trim()); });
  $('query').addEventListener('submit', (e) => { e.preventDefault(); load(); });
  $('dropoff-episode').addEventListener('change', renderDropoff);
  $('csv').addEventListener('click', () => downloadCsv().catch((e) => message('message', e.message)));
  $('sign-out').addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); location.reload(); });
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) signIn(token); else show('signin', true);
}

init();
