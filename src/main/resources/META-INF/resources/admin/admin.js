// Operator dashboard: sign-in, queue stats, upcoming releases, the live jobs table and the job detail panel.
import { createApi } from './api.js';
import { createDetailPanel } from './detail.js';
import { ago, duration, el, message, replaceChildren, shortId, speed } from './dom.js';
import { createJobsTable } from './jobs.js';
import { connectJobEvents } from './live.js';
import { createReleasesPanel } from './releases.js';

const TOKEN_KEY = 'microdrama.operatorToken';
const STATS_EVERY_MS = 5000;

const $ = (id) => document.getElementById(id);
const ui = {
  signin: $('signin'),
  signinForm: $('signin-form'),
  signinMessage: $('signin-message'),
  tokenInput: $('token'),
  dashboard: $('dashboard'),
  session: $('session'),
  who: document.querySelector('[data-testid="signed-in-as"]'),
  live: document.querySelector('[data-testid="live-indicator"]'),
  banner: $('banner'),
  statsUpdated: $('stats-updated'),
  workers: $('workers-body'),
  missing: $('missing-media'),
  missingBody: $('missing-media-body'),
};

let token = sessionStorage.getItem(TOKEN_KEY);
let events = null;
let statsTimer = null;

const api = createApi(() => token, (error) => signOut(refusal(error.status, error.message)));

function refusal(status, detail) {
  const why = status === 403
    ? 'This token does not carry the operator role.'
    : 'The token was refused (expired, malformed or not signed by a trusted key).';
  return `${why} Sign in with an operator token.${detail ? ` (${status}: ${detail})` : ''}`;
}

const jobs = createJobsTable({
  api,
  form: $('filters'),
  body: $('jobs-body'),
  loadMore: $('load-more'),
  count: $('jobs-count'),
  filterMessage: $('filter-message'),
  onOpen: (id) => openJob(id),
  onError: (e) => message(ui.banner, e.message),
});

const releases = createReleasesPanel({
  api,
  body: $('releases-body'),
  count: $('releases-count'),
  panelMessage: $('releases-message'),
});

const detail = createDetailPanel({
  api,
  panel: $('detail'),
  onJob: (job) => jobs.apply(job),
  onClosed: () => jobs.select(null),
});

function openJob(id) {
  jobs.select(id);
  detail.open(id);
}

/** The subject of the token, for display only: the API verifies the token, the page never trusts it. */
function subjectOf(jwt) {
  try {
    const payload = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.upn || payload.sub || '';
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------- stats

function setCard(testid, ...value) {
  const card = document.querySelector(`[data-testid="${testid}"]`);
  replaceChildren(card.querySelector('.value'), ...value);
  return card;
}

function renderStats(stats) {
  for (const state of ['queued', 'running', 'succeeded', 'failed', 'cancelled']) {
    const count = stats.queue[state] ?? 0;
    setCard(`stat-${state}`, String(count)).toggleAttribute('data-nonzero', count > 0);
  }
  setCard('stat-oldest', duration(stats.oldestQueuedAgeSeconds));
  setCard('stat-last-hour', el('span', { class: 'ok' }, `${stats.lastHour.succeeded} ok`), ' · ',
    el('span', { class: stats.lastHour.failed > 0 ? 'bad' : '' }, `${stats.lastHour.failed} failed`));
  setCard('stat-speed', speed(stats.meanEncodeSpeed));
  const workers = stats.workers || [];
  if (workers.length === 0) {
    replaceChildren(ui.workers, el('tr', { class: 'empty' }, el('td', { colspan: 5 }, 'No worker seen in the last hour.')));
  } else {
    replaceChildren(ui.workers, workers.map((w) => el('tr', { testid: 'worker', dataset: { alive: w.alive } },
      el('td', { class: 'mono small' }, w.worker),
      el('td', null, el('span', { class: `badge ${w.alive ? 'state-succeeded' : 'state-failed'}` },
        w.alive ? 'alive' : 'silent')),
      el('td', null, ago(w.lastSeenAt)),
      el('td', null, w.currentJobId
        ? el('button', { type: 'button', class: 'link mono', title: w.currentJobId, onclick: () => openJob(w.currentJobId) },
          shortId(w.currentJobId))
        : el('span', { class: 'muted' }, 'idle')),
      el('td', null, ago(w.startedAt)))));
  }
  const now = new Date();
  ui.statsUpdated.textContent = `updated ${now.toLocaleTimeString('en-GB')}`;
}

// Ready versions whose media storage lacks (the database and the store out of step): shown only when there are some.
function renderMissingMedia(items) {
  setCard('stat-missing-media', String(items.length)).toggleAttribute('data-nonzero', items.length > 0);
  ui.missing.hidden = items.length === 0;
  replaceChildren(ui.missingBody, items.map((m) => el('tr', { testid: 'missing-media-row', dataset: { versionId: m.versionId } },
    el('td', null, m.seriesTitle || '–', ' ', el('span', { class: 'mono muted small' }, m.seriesId || '')),
    el('td', { class: 'num' }, `#${m.episodeNumber}`),
    el('td', { class: 'mono small', title: m.versionId }, `#${m.versionNumber} ${shortId(m.versionId)}`),
    el('td', null, ago(m.firstSeenAt)),
    el('td', null, ago(m.lastSeenAt)),
    el('td', { class: 'num' }, String(m.hits)))));
}

async function refreshStats() {
  clearTimeout(statsTimer);
  try {
    const [stats, missing] = await Promise.all([api.get('stats'), api.get('missing-media')]);
    renderStats(stats);
    renderMissingMedia(missing);
    message(ui.banner, '');
  } catch (e) {
    if (e.unauthorised) {
      return;
    }
    message(ui.banner, `Stats could not be read: ${e.message}`);
  }
  if (token) {
    statsTimer = setTimeout(refreshStats, STATS_EVERY_MS);
  }
}

// ---------------------------------------------------------------- live events

function setLive(status, retryInMs) {
  ui.live.dataset.status = status;
  const text = ui.live.querySelector('.live-text');
  text.textContent = status === 'live' ? 'Live'
    : status === 'offline' ? `Offline, retrying in ${Math.round(retryInMs / 1000)} s` : 'Connecting…';
}

function startEvents() {
  events = connectJobEvents({
    url: api.url('jobs/events'),
    token,
    onJob: (job) => {
      jobs.apply(job);
      detail.changed(job);
    },
    onStatus: setLive,
    onUnauthorised: (status) => signOut(refusal(status)),
    // Changes made while disconnected were not sent: read the list again.
    onReconnected: () => jobs.load(),
  });
}

// ---------------------------------------------------------------- session

function start() {
  ui.signin.hidden = true;
  ui.dashboard.hidden = false;
  ui.session.hidden = false;
  ui.who.textContent = subjectOf(token);
  startEvents();
  refreshStats();
  releases.load();
  jobs.load({ fromForm: true });
}

function signOut(reason) {
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  clearTimeout(statsTimer);
  if (events) {
    events.close();
    events = null;
  }
  detail.close();
  jobs.clear();
  releases.clear();
  setLive('connecting');
  ui.dashboard.hidden = true;
  ui.session.hidden = true;
  ui.signin.hidden = false;
  message(ui.signinMessage, reason || '');
  ui.tokenInput.value = '';
  ui.tokenInput.focus();
}

ui.signinForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const candidate = ui.tokenInput.value.trim().replace(/^Bearer\s+/i, '');
  if (!candidate) {
    return;
  }
  message(ui.signinMessage, '');
  // Checked with one call before anything starts, so a wrong token stays on the form with the reason.
  const probe = createApi(() => candidate, () => {});
  try {
    await probe.get('stats');
  } catch (err) {
    message(ui.signinMessage, err.unauthorised ? refusal(err.status, err.message) : err.message);
    return;
  }
  token = candidate;
  sessionStorage.setItem(TOKEN_KEY, token);
  start();
});

$('sign-out').addEventListener('click', () => signOut('Signed out.'));

if (token) {
  start();
} else {
  signOut('');
}
