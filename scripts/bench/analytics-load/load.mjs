// Load for scripts/bench/analytics.sh, one JSON line of results on stdout.
// autocannon comes from scripts/bench/package.json (lib.sh's need_autocannon installs it; Node finds it in the parent folder).
//   node load.mjs ingest URL  (env: TOKENS_FILE, EPISODES_FILE, BATCH, RUN_FOR, CONNECTIONS, RATE, RUN_ID)
//   node load.mjs get URL     (env: AUTHORIZATION, RUN_FOR, CONNECTIONS, RATE)
// Without RATE the connections send back to back (autocannon; the peak). With RATE (requests/s) requests are
// sent open loop at that constant rate over up to CONNECTIONS keep-alive connections, latency counted from when
// each request was due. Ingest requests are player batches: each viewer (one token each, taken in turn) plays the series'
// episodes in order and reports what a player reports, buffered over the last minutes: play_start at 0, progress
// every 10 s, complete at the end (then the next episode) or leave where they stop (a quarter of the viewers
// stop somewhere in each episode, then start again at episode 1), paywall_shown on reaching episode 11.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [mode, url] = process.argv.slice(2);
const seconds = Number(process.env.RUN_FOR || 10);
const connections = Number(process.env.CONNECTIONS || 16);
const rate = Number(process.env.RATE || 0);
const lines = file => readFileSync(file, 'utf8').split('\n').filter(Boolean);

let requests;
if (mode === 'ingest') {
  const tokens = lines(process.env.TOKENS_FILE);
  const episodes = lines(process.env.EPISODES_FILE);
  const batch = Number(process.env.BATCH || 20);
  const runId = process.env.RUN_ID || Date.now().toString(36);
  const EPISODE_SECONDS = 90;
  const viewers = tokens.map(() => ({ episode: 0, position: -1, seq: 0, stopAt: stopPoint() }));
  let next = 0;

  function stopPoint() { // where this viewer leaves the current episode; past the end means it completes
    return Math.random() < 0.25 ? Math.floor(Math.random() * EPISODE_SECONDS) : EPISODE_SECONDS + 1;
  }

  function events(v, viewerIndex) {
    const out = [];
    const now = Date.now();
    const add = (type, position) => out.push({ id: `${runId}-${viewerIndex}-${v.seq++}`, type,
      episodeId: episodes[v.episode], positionSeconds: position, occurredAt: null });
    while (out.length < batch) {
      if (v.position < 0) {
        if (v.episode === 10) add('paywall_shown', 0);
        add('play_start', 0);
        v.position = 0;
      } else if (v.position + 10 > v.stopAt) {
        add('leave', v.stopAt);
        Object.assign(v, { episode: 0, position: -1, stopAt: stopPoint() });
      } else if (v.position + 10 >= EPISODE_SECONDS) {
        add('complete', EPISODE_SECONDS);
        Object.assign(v, { episode: (v.episode + 1) % episodes.length, position: -1, stopAt: stopPoint() });
      } else {
        v.position += 10;
        add('progress', v.position);
      }
    }
    out.length = batch;
    // Buffered playback: one event every 10 s of the last minutes, the newest now.
    out.forEach((e, i) => { e.occurredAt = new Date(now - (batch - 1 - i) * 10_000).toISOString(); });
    return out;
  }

  requests = [{
    method: 'POST',
    setupRequest: req => {
      const i = next++ % tokens.length;
      return { ...req, headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}` },
        body: JSON.stringify({ events: events(viewers[i], i) }) };
    },
  }];
} else if (mode === 'get') {
  requests = [{ method: 'GET', headers: { authorization: process.env.AUTHORIZATION } }];
} else {
  console.error('usage: node load.mjs ingest|get URL');
  process.exit(2);
}

// A constant rate, open loop: request i is due at start + i / RATE whatever the earlier answers did, and its
// latency counts from when it was due (a queue in front of a slow server counts, as a player would see it).
async function constantRate() {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(rate * seconds);
  const latencies = [];
  const counts = { ok: 0, non2xx: 0, errors: 0, timeouts: 0 };
  const start = performance.now() + 20;
  await new Promise(resolve => {
    let sent = 0;
    let finished = 0;
    const end = () => { if (++finished === total) resolve(); };
    const fire = due => {
      const r = requests[0].setupRequest ? requests[0].setupRequest({ ...requests[0] }) : requests[0];
      const body = r.body || '';
      const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname + target.search,
        method: r.method, headers: { ...r.headers, 'content-length': Buffer.byteLength(body) }, timeout: 10_000 }, res => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - due);
          counts[res.statusCode >= 200 && res.statusCode < 300 ? 'ok' : 'non2xx']++;
          end();
        });
      });
      req.on('timeout', () => { counts.timeouts++; req.destroy(); });
      req.on('error', () => { counts.errors++; end(); });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * 1000 / rate <= now) fire(start + sent++ * 1000 / rate);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * 1000 / rate - performance.now()));
    };
    setTimeout(tick, 20);
  });
  agent.destroy();
  latencies.sort((x, y) => x - y);
  const at = q => latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10 : null;
  const elapsed = (performance.now() - start) / 1000;
  return { requests: total, seconds: elapsed, rps: total / elapsed, ...counts, p50: at(0.5), p99: at(0.99), max: at(1) };
}

if (rate > 0) {
  console.log(JSON.stringify(await constantRate()));
  process.exit(0);
}
const options = { url, connections, duration: seconds, requests, timeout: 10 };
const result = await autocannon(options);
console.log(JSON.stringify({
  requests: result.requests.total,
  seconds: result.duration,
  rps: result.requests.total / result.duration,
  ok: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  p50: result.latency.p50,
  p99: result.latency.p99,
  max: result.latency.max,
}));
