// Constant-rate load for the latency-at-half-load figures (lib.sh's rate_load calls it): autocannon holding an
// overall request rate, its latencies corrected for coordinated omission (a request is timed from when it was due,
// not from when a busy connection got round to sending it).
//   node rate.mjs URL RATE SECONDS CONNECTIONS [-H 'Name: value']... [--tokens FILE] [--paths FILE]
//                 [--requests FILE] [--method M] [--body-file F]
// --tokens: one bearer token a line, sent in turn (distinct viewers); --paths: one path a line, asked in turn;
// --requests: one "path<TAB>bearer token" line a request (a (viewer, thing) pair), taken in turn by whichever
// connection sends next, so the connections do not walk the same list in step.
// Prints "achieved_req_per_s p99_ms p50_ms"; exits 1 on any non-2xx answer, error or timeout.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

const [url, rate, seconds, connections, ...rest] = process.argv.slice(2);
if (!url || !(rate > 0) || !(seconds > 0) || !(connections > 0)) {
  console.error('usage: node rate.mjs URL RATE SECONDS CONNECTIONS [-H "Name: value"]... [--tokens FILE] [--paths FILE] [--requests FILE] [--method M] [--body-file F]');
  process.exit(2);
}
const headers = {};
let tokens = [null];
let paths = [new URL(url).pathname + new URL(url).search];
let pairs;
let method = 'GET';
let body;
for (let i = 0; i < rest.length; i += 2) {
  const value = rest[i + 1];
  switch (rest[i]) {
    case '-H': { const at = value.indexOf(':'); headers[value.slice(0, at).trim()] = value.slice(at + 1).trim(); break; }
    case '--tokens': tokens = lines(value); break;
    case '--paths': paths = lines(value); break;
    case '--requests': pairs = lines(value).map(l => l.split('\t')); break;
    case '--method': method = value; break;
    case '--body-file': body = readFileSync(value); break;
    default: console.error(`unknown option ${rest[i]}`); process.exit(2);
  }
}

function lines(file) {
  const all = readFileSync(file, 'utf8').split('\n').map(l => l.trim()).filter(Boolean);
  if (all.length === 0) { console.error(`${file} is empty`); process.exit(2); }
  return all;
}

// One request entry per token (or path): each connection walks the list, so every viewer is asked for in turn.
// With --requests, one entry whose request is rebuilt from the next pair each time it is sent.
let next = 0;
const entries = Math.max(tokens.length, paths.length);
const requests = pairs ? [{
  method,
  headers,
  ...(body ? { body } : {}),
  setupRequest: req => {
    const [path, token] = pairs[next++ % pairs.length];
    return { ...req, path, headers: token ? { ...req.headers, authorization: `Bearer ${token}` } : req.headers };
  },
}] : Array.from({ length: entries }, (_, i) => ({
  method,
  path: paths[i % paths.length],
  headers: tokens[i % tokens.length] ? { ...headers, authorization: `Bearer ${tokens[i % tokens.length]}` } : headers,
  ...(body ? { body } : {}),
}));

const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  overallRate: Number(rate),
  requests,
});
const achieved = result.requests.total / result.duration;
if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
  console.error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts `
    + `(status counts ${JSON.stringify(result.statusCodeStats)})`);
  process.exit(1);
}
if (achieved < 0.9 * rate) {
  console.error(`warning: ${url} held ${achieved.toFixed(0)} req/s of the ${rate} asked (the server or this generator was saturated)`);
}
console.log(`${achieved.toFixed(1)} ${result.latency.p99} ${result.latency.p50}`);
