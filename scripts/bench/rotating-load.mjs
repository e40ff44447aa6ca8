// Constant-rate load over many distinct requests, for latency at a fixed rate (autocannon's overallRate, with
// its correction for coordinated omission). Each line of REQUESTS is "path<TAB>bearer token"; the requests are
// sent in turn. Prints "req/s p99_ms non2xx errors".
//   node rotating-load.mjs BASE_URL REQUESTS RATE CONNECTIONS SECONDS
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(process.env.AUTOCANNON_HOME + '/');
const autocannon = require('autocannon');
const [base, file, rate, connections, seconds] = process.argv.slice(2);
const lines = readFileSync(file, 'utf8').trim().split('\n').map(l => l.split('\t'));
let next = 0;
const result = await autocannon({
  url: base,
  connections: Number(connections),
  overallRate: Number(rate),
  duration: Number(seconds),
  requests: [{
    setupRequest: req => {
      const [path, token] = lines[next++ % lines.length];
      return { ...req, path, headers: { ...req.headers, authorization: 'Bearer ' + token } };
    },
  }],
});
const non2xx = result.non2xx + result['1xx'] + result['3xx'];
console.log(`${(result.requests.total / Number(seconds)).toFixed(1)} ${result.latency.p99} ${non2xx} ${result.errors + result.timeouts}`);
