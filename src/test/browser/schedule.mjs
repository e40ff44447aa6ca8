// Drives the operators' dashboard (/admin) schedule panel in Debian's chromium against a running app: sign in, find
// an upcoming release, move it to another time, then release it at once.
//
// Inputs (environment variables, or --name=value arguments with the same names in lower case):
//   BASE_URL          the running app, e.g. http://localhost:8080
//   OPERATOR_TOKEN    a JWT with the role operator
//   SERIES_ID         a series with episode EPISODE_NUMBER scheduled ahead
//   EPISODE_NUMBER    that episode's number
//   MOVE_TO           a local date-time (YYYY-MM-DDTHH:MM, in TZ below) to move it to
//   TZ                the browser's time zone (the page shows and reads local times)
//   OUT_DIR           screenshots (default: target/browser of this repository)
//   CHROMIUM_PATH     default /usr/bin/chromium
// Prints one JSON summary on stdout; exits 1 on any failure, after a screenshot OUT_DIR/schedule-failure.png.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const UI_MS = 15_000;
const started = Date.now();
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function input(name, fallback) {
  const flag = `--${name.toLowerCase().replace(/_/g, '-')}=`;
  const arg = process.argv.slice(2).find((a) => a.startsWith(flag));
  const value = arg ? arg.slice(flag.length) : process.env[name];
  if (value !== undefined && value !== '') {
    return value;
  }
  if (fallback === undefined) {
    throw new Error(`missing input ${name} (environment variable ${name} or argument ${flag}…)`);
  }
  return fallback;
}

const summary = { ok: false, steps: [], consoleErrors: [], pageErrors: [], screenshots: {} };
let step = 'reading inputs';
function begin(name) {
  step = name;
  summary.steps.push({ step: name, atMs: Date.now() - started });
}

function check(condition, what) {
  if (!condition) {
    throw new Error(`check failed: ${what}`);
  }
}

async function main() {
  const baseUrl = input('BASE_URL').replace(/\/+$/, '');
  const operatorToken = input('OPERATOR_TOKEN');
  const seriesId = input('SERIES_ID');
  const number = input('EPISODE_NUMBER');
  const moveTo = input('MOVE_TO');
  const outDir = resolve(input('OUT_DIR', join(repo, 'target/browser')));
  mkdirSync(outDir, { recursive: true });

  begin('launching chromium');
  const profile = mkdtempSync(join(tmpdir(), 'microdrama-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: input('CHROMIUM_PATH', '/usr/bin/chromium'),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
    timezoneId: input('TZ'),
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(UI_MS);
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      summary.consoleErrors.push(msg.text());
    }
  });
  page.on('pageerror', (e) => summary.pageErrors.push(String(e)));
  const row = page.locator(`tr[data-testid="release-row"][data-series-id="${seriesId}"][data-number="${number}"]`);
  try {
    begin('signing in');
    await page.goto(`${baseUrl}/admin`);
    await page.getByTestId('token-input').fill(operatorToken);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('dashboard').waitFor();

    begin('finding the upcoming release');
    await row.waitFor();
    summary.before = await row.getAttribute('data-release-at');
    summary.shownBefore = await row.getByTestId('release-at').textContent();
    summary.screenshots.schedule = join(outDir, 'schedule.png');
    await page.screenshot({ path: summary.screenshots.schedule, fullPage: true });

    begin('moving it');
    await row.getByTestId('release-input').fill(moveTo);
    await row.getByTestId('release-save').click();
    await page.waitForFunction(([selector, before]) => {
      const tr = document.querySelector(selector);
      return tr && tr.dataset.releaseAt !== before;
    }, [`tr[data-testid="release-row"][data-series-id="${seriesId}"][data-number="${number}"]`, summary.before]);
    summary.after = await row.getAttribute('data-release-at');
    check(await page.getByTestId('releases-message').isHidden(), 'no error shown after moving');

    begin('releasing it now');
    await row.getByTestId('release-now').click();
    await row.waitFor({ state: 'detached' });

    check(summary.pageErrors.length === 0, `no uncaught errors in the page: ${summary.pageErrors.join('; ')}`);
    summary.ok = true;
  } catch (e) {
    summary.error = `${step}: ${e.message}`;
    summary.screenshots.failure = join(outDir, 'schedule-failure.png');
    await page.screenshot({ path: summary.screenshots.failure, fullPage: true }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (e) {
  summary.error = `${step}: ${e.message}`;
}
summary.durationMs = Date.now() - started;
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
process.exit(summary.ok ? 0 : 1);
