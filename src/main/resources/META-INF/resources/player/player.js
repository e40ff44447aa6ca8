// The reference H5 player: a vertical feed of one series' episodes, played with hls.js (served by the app, pinned).
// Swipe up (touch, wheel, ↓ key or ▼) for the next episode; its playback is fetched and its first segment buffered
// while the current one plays, so the swipe starts at once. A locked episode shows the API's 402 (price, balance)
// and, for a signed-in viewer, an Unlock button.
//
// Query parameters: api (the API's origin when the page is served elsewhere; default this page's origin),
// series (a slug; default the demo series that `scripts/run.sh` seeds).
// window.__player exposes the state and hls.js events, for tests and for whoever opens the console.

const params = new URLSearchParams(location.search);
const API = (params.get('api') || location.origin).replace(/\/+$/, '');
const SERIES = params.get('series') || 'demo-midnight-contract';
const TOKEN_KEY = 'microdrama.viewerToken';
const AHEAD_BUFFER_SECONDS = 4; // enough for the first frames of the next episode, little data if never watched
const PLAYING_BUFFER_SECONDS = 30;
const SWIPE_PIXELS = 40;

const $ = (id) => document.getElementById(id);
const player = {
  api: API, series: SERIES, token: sessionStorage.getItem(TOKEN_KEY), episodes: [], slides: [], index: -1,
  events: [], swipes: [], firstFrameMs: null,
};
window.__player = player;

function record(event) {
  player.events.push({ atMs: Math.round(performance.now()), ...event });
}

function showMessage(text) {
  $('message').textContent = text || '';
  $('message').hidden = !text;
}

async function call(method, path, headers = {}) {
  const all = { Accept: 'application/json', ...headers };
  if (player.token) {
    all.Authorization = `Bearer ${player.token}`;
  }
  let response;
  try {
    response = await fetch(API + path, { method, headers: all, cache: 'no-store' });
  } catch (e) {
    return { status: 0, body: { detail: `the API at ${API} cannot be reached (${e.message})` } };
  }
  const body = await response.json().catch(() => null);
  return { status: response.status, body };
}

/** A random Idempotency-Key (crypto.randomUUID needs a secure context; a phone on a LAN address is not one). */
function idempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- Slides: one per episode, each with its own <video>; at most the current and the next hold an hls.js instance.

function buildSlides() {
  const feed = $('feed');
  feed.replaceChildren();
  player.slides = player.episodes.map((episode) => {
    const node = $('slide-template').content.firstElementChild.cloneNode(true);
    node.dataset.number = episode.number;
    node.dataset.episodeId = episode.id;
    node.dataset.lock = episode.lock;
    node.querySelector('.number').textContent = `Episode ${episode.number}`;
    node.querySelector('.title').textContent = episode.title || '';
    node.querySelector('.badge').textContent = episode.lock;
    if (episode.posterUrl) {
      node.querySelector('video').poster = API + episode.posterUrl;
    }
    node.querySelector('.unlock').addEventListener('click', () => unlock(slide));
    feed.append(node);
    const slide = { episode, node, video: node.querySelector('video'), hls: null, prepared: null };
    return slide;
  });
}

function lockPanel(slide, text, canUnlock) {
  const panel = slide.node.querySelector('.lock-panel');
  panel.hidden = !text;
  slide.node.querySelector('.lock-text').textContent = text || '';
  slide.node.querySelector('.unlock').hidden = !canUnlock;
}

/** Fetches the episode's playback and, when allowed, attaches hls.js and buffers its start (nothing plays yet). */
function prepare(slide) {
  if (!slide.prepared) {
    slide.prepared = load(slide).catch((e) => {
      slide.prepared = null;
      throw e;
    });
  }
  return slide.prepared;
}

async function load(slide) {
  const { status, body } = await call('GET', `/api/v1/episodes/${slide.episode.id}/playback`);
  record({ kind: 'playback', episode: slide.episode.number, status });
  if (status === 402) {
    slide.node.dataset.lock = 'locked';
    slide.node.dataset.refusal = '402';
    lockPanel(slide, `Locked: ${body.price} coins, balance ${body.balance} (${status} ${body.title})`, !!player.token);
    slide.unlockUrl = body.unlockUrl;
    return false;
  }
  if (status !== 200) {
    const why = status === 401 ? 'Sign in to watch.' : (body && (body.detail || body.title)) || `error ${status}`;
    lockPanel(slide, why, false);
    return false;
  }
  lockPanel(slide, null, false);
  delete slide.node.dataset.refusal;
  slide.playback = body;
  attach(slide, API + body.masterUrl);
  return true;
}

function attach(slide, masterUrl) {
  if (!window.Hls || !Hls.isSupported()) {
    slide.video.src = masterUrl; // Safari and iOS play HLS natively
    return;
  }
  const hls = new Hls({ maxBufferLength: AHEAD_BUFFER_SECONDS, startFragPrefetch: true, capLevelToPlayerSize: false });
  slide.hls = hls;
  const number = slide.episode.number;
  hls.on(Hls.Events.ERROR, (_, data) => {
    record({ kind: 'error', episode: number, details: data.details, fatal: data.fatal, reason: data.reason || '' });
    if (data.fatal) {
      lockPanel(slide, `Playback failed: ${data.details}`, false);
    }
  });
  hls.on(Hls.Events.KEY_LOADED, () => record({ kind: 'key', episode: number }));
  hls.on(Hls.Events.LEVEL_SWITCHED, (_, data) => record({ kind: 'level', episode: number, level: data.level,
    height: hls.levels[data.level] && hls.levels[data.level].height }));
  hls.on(Hls.Events.FRAG_BUFFERED, (_, data) => record({ kind: 'fragment', episode: number, level: data.frag.level,
    sn: data.frag.sn }));
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    if (slide === player.slides[player.index]) {
      fillQuality(slide);
    }
  });
  hls.loadSource(masterUrl);
  hls.attachMedia(slide.video);
}

function release(slide) {
  if (slide.hls) {
    slide.hls.destroy();
    slide.hls = null;
  }
  slide.video.removeAttribute('src');
  slide.prepared = null;
}

// ---- Moving through the feed

async function show(index, swipedAt) {
  if (index < 0 || index >= player.slides.length || index === player.index) {
    return;
  }
  const previous = player.slides[player.index];
  player.index = index;
  const slide = player.slides[index];
  $('feed').style.transform = `translateY(${-index * 100}vh)`;
  $('prev').disabled = index === 0;
  $('next').disabled = index === player.slides.length - 1;
  if (previous) {
    previous.video.pause();
    if (previous.hls) {
      previous.hls.config.maxBufferLength = AHEAD_BUFFER_SECONDS;
    }
  }
  player.slides.forEach((other, i) => {
    if (Math.abs(i - index) > 1) {
      release(other);
    }
  });
  const prefetched = !!(slide.hls && slide.hls.media);
  const playable = await prepare(slide);
  if (player.index !== index) {
    return;
  }
  fillQuality(slide);
  if (playable) {
    if (slide.hls) {
      slide.hls.config.maxBufferLength = PLAYING_BUFFER_SECONDS;
    }
    await play(slide, swipedAt, prefetched);
  }
  const next = player.slides[index + 1];
  if (next) {
    prepare(next).catch(() => {});
  }
}

async function play(slide, swipedAt, prefetched) {
  const video = slide.video;
  const number = slide.episode.number;
  const start = swipedAt ?? performance.now();
  const firstFrame = new Promise((resolve) => {
    const done = () => resolve(performance.now());
    if (video.requestVideoFrameCallback) {
      video.requestVideoFrameCallback(done);
    } else {
      video.addEventListener('playing', done, { once: true });
    }
  });
  video.muted = player.muted !== false;
  await video.play().catch((e) => record({ kind: 'play-refused', episode: number, reason: e.message }));
  const ms = Math.round((await firstFrame) - start);
  if (swipedAt === undefined) {
    player.firstFrameMs ??= ms;
  } else {
    player.swipes.push({ episode: number, prefetched, swipeToFirstFrameMs: ms });
  }
  record({ kind: 'first-frame', episode: number, ms, prefetched });
}

function swipe(step) {
  show(player.index + step, performance.now());
}

async function unlock(slide) {
  const button = slide.node.querySelector('.unlock');
  button.disabled = true;
  const { status, body } = await call('POST', slide.unlockUrl, { 'Idempotency-Key': idempotencyKey() });
  button.disabled = false;
  record({ kind: 'unlock', episode: slide.episode.number, status });
  if (status !== 200) {
    lockPanel(slide, (body && (body.detail || body.title)) || `unlock refused (${status})`, true);
    return;
  }
  slide.node.dataset.lock = 'unlocked';
  slide.node.querySelector('.badge').textContent = 'unlocked';
  slide.prepared = null;
  if (await prepare(slide)) {
    await play(slide);
  }
}

function fillQuality(slide) {
  const select = $('quality');
  const levels = (slide && slide.hls && slide.hls.levels) || [];
  select.replaceChildren(new Option('auto', '-1'), ...levels.map((level, i) => new Option(`${Math.min(level.width, level.height)}p`, String(i))));
  select.value = slide && slide.hls && !slide.hls.autoLevelEnabled ? String(slide.hls.currentLevel) : '-1';
}

// ---- Input: touch, wheel, keys, buttons

function listen() {
  const feed = $('feed');
  let touchY = null;
  feed.addEventListener('touchstart', (e) => { touchY = e.touches[0].clientY; }, { passive: true });
  feed.addEventListener('touchend', (e) => {
    const dy = touchY === null ? 0 : touchY - e.changedTouches[0].clientY;
    touchY = null;
    if (Math.abs(dy) > SWIPE_PIXELS) {
      swipe(dy > 0 ? 1 : -1);
    }
  });
  let wheelAt = 0;
  window.addEventListener('wheel', (e) => {
    if (Math.abs(e.deltaY) > SWIPE_PIXELS && performance.now() - wheelAt > 600) {
      wheelAt = performance.now();
      swipe(e.deltaY > 0 ? 1 : -1);
    }
  }, { passive: true });
  window.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement) {
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'PageDown') {
      swipe(1);
    } else if (e.key === 'ArrowUp' || e.key === 'PageUp') {
      swipe(-1);
    }
  });
  $('next').addEventListener('click', () => swipe(1));
  $('prev').addEventListener('click', () => swipe(-1));
  $('sound').addEventListener('click', () => {
    player.muted = player.muted === false;
    $('sound').textContent = player.muted ? 'Sound on' : 'Mute';
    player.slides.forEach((slide) => { slide.video.muted = player.muted; });
  });
  $('quality').addEventListener('change', () => {
    const slide = player.slides[player.index];
    if (slide && slide.hls) {
      slide.hls.currentLevel = Number($('quality').value); // -1: back to automatic
    }
  });
  $('signin').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token').value.trim();
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
      player.token = token;
      $('token').value = '';
      start();
    }
  });
  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    player.token = null;
    start();
  });
}

async function start() {
  $('signin').hidden = !!player.token;
  $('session').hidden = !player.token;
  $('session').querySelector('[data-testid="signed-in-as"]').textContent = player.token ? 'signed in' : '';
  player.slides.forEach(release);
  player.index = -1;
  const series = await call('GET', `/api/v1/series/${encodeURIComponent(SERIES)}`);
  if (series.status !== 200) {
    showMessage(`Series "${SERIES}": ${(series.body && series.body.detail) || `error ${series.status}`}`);
    return;
  }
  $('series-title').textContent = series.body.title;
  const episodes = await call('GET', `/api/v1/series/${encodeURIComponent(SERIES)}/episodes`);
  if (episodes.status !== 200) {
    showMessage((episodes.body && episodes.body.detail) || `episodes: error ${episodes.status}`);
    return;
  }
  showMessage(player.token ? null : 'Sign in with a viewer token to play.');
  player.episodes = episodes.body;
  buildSlides();
  document.body.dataset.ready = 'true';
  if (player.token) {
    await show(0);
  }
}

listen();
start();
