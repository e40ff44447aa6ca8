// Drives the producers' analytics page (/producer/analytics) in Debian's chromium against a running app:
// a viewer's token is refused, the producer signs in, reads the funnel and the drop-off of two episodes, the
// per-episode table, and downloads the CSV.
//
// Inputs (environment variables):
//   BASE_URL         the running app, e.g. http://localhost:8080
//   PRODUCER_TOKEN   a JWT of the producer owning SERIES_ID
//   VIEWER_TOKEN     a JWT with the role viewer (must be refused)
//   SERIES_ID        the series to show
//   FUNNEL           expected funnel as "number:reached,..." (e.g. 1:4,2:2,3:1)
//   DROPOFF          expected drop-off counts per episode, "episode:c0 c1 … c9;…"
//   CSV_START        text the downloaded CSV's second line starts with
//   OUT_DIR          screenshots; CHROMIUM_PATH default /usr/bin/chromium
// Prints one JSON summary on stdout; exits 1 on any failure, after a screenshot OUT_DIR/analytics-failure.png.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const input = (name) => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`missing input ${name}`);
  }
  return value;
};
const summary = { ok: false, steps: [], consoleErrors: [], pageErrors: [] };
const begin = (step) => summary.steps.push(step);
const check = (condition, what) => {
  if (!condition) {
    throw new Error(`check failed: ${what}`);
  }
};

async function main() {
  const baseUrl = input('BASE_URL').replace(/\/+$/, '');
  const seriesId = input('SERIES_ID');
  const funnel = input('FUNNEL').split(',').map((pair) => pair.split(':'));
  const dropoff = input('DROPOFF').split(';').map((entry) => entry.split(':'));
  const outDir = resolve(process.env.OUT_DIR || 'target/browser');
  mkdirSync(outDir, { recursive: true });

  const profile = mkdtempSync(join(tmpdir(), 'microdrama-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('console', (msg) => msg.type() === 'error' && summary.consoleErrors.push(msg.text()));
  page.on('pageerror', (e) => summary.pageErrors.push(String(e)));
  try {
    begin('opening /producer/analytics');
    const response = await page.goto(`${baseUrl}/producer/analytics?series=${seriesId}`);
    check(response && response.ok(), `GET /producer/analytics answered ${response && response.status()}`);
    check(new URL(page.url()).pathname === '/producer/analytics/', `redirected to the directory, not ${page.url()}`);

    begin('refusing a viewer token');
    await page.getByTestId('token-input').fill(input('VIEWER_TOKEN'));
    await page.getByTestId('sign-in').click();
    await page.getByTestId('signin-message').filter({ hasText: 'producer token' }).waitFor();
    check(await page.getByTestId('report-view').isHidden(), 'nothing is shown after a refused token');
    // Chromium logs the refused call (403) as a console error: expected here, and only here.
    summary.refusalConsole = summary.consoleErrors.splice(0);

    begin('signing in as the producer');
    await page.getByTestId('token-input').fill(input('PRODUCER_TOKEN'));
    await page.getByTestId('sign-in').click();
    await page.getByTestId('report').waitFor();
    check(await page.getByTestId('series-select').inputValue() === seriesId, 'the series from the URL is selected');

    begin('reading the funnel');
    const steps = await page.locator('[data-testid="funnel-step"]').evaluateAll(
      (rows) => rows.map((r) => [r.dataset.number, r.dataset.reached]));
    check(JSON.stringify(steps) === JSON.stringify(funnel), `funnel ${JSON.stringify(steps)}`);
    summary.funnel = steps;

    begin('reading the drop-off of each episode');
    summary.dropoff = {};
    for (const [episode, counts] of dropoff) {
      await page.getByTestId('dropoff-episode').selectOption(episode);
      const bars = await page.locator('[data-testid="dropoff-bar"]').evaluateAll(
        (columns) => columns.map((c) => c.dataset.count).join(' '));
      check(bars === counts, `drop-off of episode ${episode}: ${bars}`);
      summary.dropoff[episode] = bars;
    }
    check(await page.locator('[data-testid="episode-row"]').count() === funnel.length, 'one table row per episode');

    await page.getByTestId('dropoff-episode').selectOption(dropoff[0][0]);
    summary.screenshot = join(outDir, 'analytics.png');
    await page.screenshot({ path: summary.screenshot, fullPage: true });

    begin('downloading the CSV');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv').click()]);
    const csv = readFileSync(await download.path(), 'utf8').split('\r\n');
    check(csv[0].startsWith('episode_number,episode_id,views'), `CSV header ${csv[0]}`);
    check(csv[1].startsWith(input('CSV_START')), `CSV first row ${csv[1]}`);
    summary.csvFile = download.suggestedFilename();

    check(summary.pageErrors.length === 0, `page errors: ${summary.pageErrors}`);
    check(summary.consoleErrors.length === 0, `console errors: ${summary.consoleErrors}`);
    summary.ok = true;
  } catch (e) {
    summary.error = String(e && e.stack || e);
    await page.screenshot({ path: join(outDir, 'analytics-failure.png'), fullPage: true }).catch(() => {});
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(JSON.stringify(summary, null, 2));
  process.exit(summary.ok ? 0 : 1);
}

main();
