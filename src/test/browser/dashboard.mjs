// Drives the operators' dashboard (/admin) in Debian's chromium against a running app, as an operator would:
// sign in, read the stats, watch a fresh upload's job arrive and finish live, open a failed job, retry it.
//
// Inputs (environment variables, or --name=value arguments with the same names in lower case, e.g. --base-url=):
//   BASE_URL          the running app, e.g. http://localhost:8080
//   OPERATOR_TOKEN    a JWT with the role operator
//   PRODUCER_TOKEN    a JWT of the producer owning SERIES_ID
//   SERIES_ID         a series of that producer; the clip is uploaded as its episode EPISODE_NUMBER (default 1)
//   CLIP_PATH         a small valid vertical MP4
//   FAILED_JOB_ID     a job in state failed whose source is valid (a retry succeeds)
//   FAILED_JOB_ERROR  optional: text its error message contains
//   FAILED_JOB_LOG    optional: text its ffmpeg log tail contains (shown verbatim, never as HTML)
//   MISSING_MEDIA_VERSION_ID  optional: a ready version whose media viewers were refused (storage lacks it)
//   OUT_DIR           screenshots (default: target/browser of this repository)
//   CHROMIUM_PATH     default /usr/bin/chromium
// Prints one JSON summary on stdout; exits 1 on any failure, after a screenshot OUT_DIR/failure.png.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const WAIT_MS = 60_000; // the longest any single wait may take
const UI_MS = 15_000; // waits for the page itself (no transcode involved)
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

const row = (attr, value) => `tr[data-testid="job-row"][data-${attr}="${value}"]`;

/** Records every state and progress a row goes through, from inside the page (rows are replaced on each change). */
function traceRows() {
  window.__trace = {};
  const body = document.getElementById('jobs-body');
  const record = () => {
    for (const tr of body.querySelectorAll('tr[data-testid="job-row"]')) {
      const progress = tr.querySelector('[data-testid="job-progress"]')?.dataset.value;
      const seen = (window.__trace[tr.dataset.jobId] ||= []);
      const entry = `${tr.dataset.state} ${progress}%`;
      if (seen[seen.length - 1] !== entry) {
        seen.push(entry);
      }
    }
  };
  record();
  new MutationObserver(record).observe(body, { childList: true, subtree: true, attributes: true });
}

async function main() {
  const baseUrl = input('BASE_URL').replace(/\/+$/, '');
  const operatorToken = input('OPERATOR_TOKEN');
  const producerToken = input('PRODUCER_TOKEN');
  const seriesId = input('SERIES_ID');
  const episodeNumber = input('EPISODE_NUMBER', '1');
  const clip = readFileSync(input('CLIP_PATH'));
  const failedJobId = input('FAILED_JOB_ID');
  const failedError = input('FAILED_JOB_ERROR', '');
  const failedLog = input('FAILED_JOB_LOG', '');
  const missingVersionId = input('MISSING_MEDIA_VERSION_ID', '');
  const outDir = resolve(input('OUT_DIR', join(repo, 'target/browser')));
  const executablePath = input('CHROMIUM_PATH', '/usr/bin/chromium');
  mkdirSync(outDir, { recursive: true });
  summary.baseUrl = baseUrl;

  begin('launching chromium');
  const profile = mkdtempSync(join(tmpdir(), 'microdrama-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(UI_MS);
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      summary.consoleErrors.push(msg.text());
    }
  });
  page.on('pageerror', (e) => summary.pageErrors.push(String(e)));
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) {
      navigations++;
    }
  });
  let listReads = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/admin/jobs') {
      listReads++;
    }
  });

  try {
    begin('opening /admin');
    const response = await page.goto(`${baseUrl}/admin`);
    check(response && response.ok(), `GET /admin answered ${response && response.status()}`);
    check(new URL(page.url()).pathname === '/admin/', `/admin leads to /admin/, not ${page.url()}`);
    await page.getByTestId('signin-form').waitFor();

    begin('refusing a token that is not an operator\'s');
    await page.getByTestId('token-input').fill('not-a-jwt');
    await page.getByTestId('sign-in').click();
    await page.getByTestId('signin-message').filter({ hasText: 'refused' }).waitFor();
    await page.getByTestId('token-input').fill(producerToken);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('signin-message').filter({ hasText: 'operator role' }).waitFor();
    check(await page.getByTestId('dashboard').isHidden(), 'the dashboard stays hidden after a refused token');

    begin('signing in');
    await page.getByTestId('token-input').fill(operatorToken);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('dashboard').waitFor();
    check(await page.evaluate(() => sessionStorage.getItem('microdrama.operatorToken')) === operatorToken,
      'the token is kept in sessionStorage');

    begin('reading the stats cards');
    await page.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-testid="stat-queued"] .value').textContent));
    const stats = {};
    for (const card of ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'oldest', 'last-hour', 'speed']) {
      stats[card] = (await page.locator(`[data-testid="stat-${card}"] .value`).textContent()).trim();
    }
    check(Number(stats.failed) >= 1, `the failed card counts the failed job (${stats.failed})`);
    check(/ok .* failed/.test(stats['last-hour']), `last hour card: ${stats['last-hour']}`);
    await page.locator('[data-testid="worker"][data-alive="true"]').first().waitFor();
    summary.stats = stats;

    if (missingVersionId) {
      begin('reading the missing-media card');
      const missingRow = page.locator(`[data-testid="missing-media-row"][data-version-id="${missingVersionId}"]`);
      await missingRow.waitFor({ timeout: UI_MS });
      const missingCount = (await page.locator('[data-testid="stat-missing-media"] .value').textContent()).trim();
      check(Number(missingCount) >= 1, `the missing-media card counts the version (${missingCount})`);
      check(await page.getByTestId('missing-media').isVisible(), 'the missing-media list is shown');
      summary.missingMedia = { count: missingCount, row: (await missingRow.textContent()).trim() };
    }
    summary.workers = await page.locator('[data-testid="worker"]').count();

    begin('waiting for the live stream');
    await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor();
    await page.locator(row('job-id', failedJobId)).waitFor();
    check(await page.locator(row('job-id', failedJobId)).getAttribute('data-state') === 'failed',
      'the pre-made job is listed as failed');
    await page.evaluate(traceRows);
    const listReadsBefore = listReads;
    const navigationsBefore = navigations;

    begin('uploading a source as the producer');
    const upload = await fetch(`${baseUrl}/api/v1/producer/series/${seriesId}/episodes/${episodeNumber}/source`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${producerToken}`, 'Content-Type': 'video/mp4' },
      body: clip,
    });
    const accepted = await upload.json();
    check(upload.status === 201, `upload answered ${upload.status}: ${JSON.stringify(accepted)}`);
    const uploadedAt = Date.now();

    begin('waiting for the new job to appear live');
    const newRow = page.locator(row('version-id', accepted.versionId));
    await newRow.waitFor({ timeout: WAIT_MS });
    const appearedMs = Date.now() - uploadedAt;
    const uploadedJobId = await newRow.getAttribute('data-job-id');
    check(await page.locator('tr[data-testid="job-row"]').first().getAttribute('data-job-id') === uploadedJobId,
      'the new job is at the top of the table');

    begin('waiting for the new job to succeed');
    await page.locator(`${row('job-id', uploadedJobId)}[data-state="succeeded"]`).waitFor({ timeout: WAIT_MS });
    await page.locator(`${row('job-id', uploadedJobId)} [data-testid="job-progress"][data-value="100"]`).waitFor();
    check(listReads === listReadsBefore, `the table was not re-read (${listReads - listReadsBefore} list reads)`);
    check(navigations === navigationsBefore, 'the page was not reloaded');
    summary.uploadedJob = {
      id: uploadedJobId, versionId: accepted.versionId, appearedAfterMs: appearedMs,
      succeededAfterMs: Date.now() - uploadedAt,
      seen: await page.evaluate((id) => window.__trace[id], uploadedJobId),
    };

    begin('taking the dashboard screenshot');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="stat-succeeded"] .value').textContent) >= 1);
    summary.screenshots.dashboard = join(outDir, 'dashboard.png');
    await page.screenshot({ path: summary.screenshots.dashboard, fullPage: true });

    begin('opening the failed job');
    await page.locator(row('job-id', failedJobId)).click();
    const panel = page.getByTestId('job-detail');
    await page.locator(`[data-testid="job-detail"][data-job-id="${failedJobId}"][data-state="failed"]`).waitFor();
    const errorText = await panel.getByTestId('detail-error').textContent();
    check(errorText.length > 0, 'the detail shows an error message');
    check(!failedError || errorText.includes(failedError), `error message "${errorText}" contains "${failedError}"`);
    const logText = await panel.getByTestId('detail-log-tail').textContent();
    check(!failedLog || logText.includes(failedLog), `log tail contains ${JSON.stringify(failedLog)}`);
    check(await page.evaluate(() => document.querySelectorAll('img, script:not([src]), iframe, object').length) === 0,
      'text from the API never became markup');
    await panel.getByTestId('attempt-history').waitFor();
    check(await panel.getByTestId('retry-button').isEnabled(), 'Retry is enabled on a failed job');
    check(await panel.getByTestId('cancel-button').isDisabled(), 'Cancel is disabled on a failed job');
    summary.screenshots.detail = join(outDir, 'detail.png');
    await page.screenshot({ path: summary.screenshots.detail });

    begin('retrying the failed job');
    await panel.getByTestId('retry-button').click();
    await page.locator(`${row('job-id', failedJobId)}[data-state="succeeded"]`).waitFor({ timeout: WAIT_MS });
    await page.locator(`[data-testid="job-detail"][data-job-id="${failedJobId}"][data-state="succeeded"]`)
      .waitFor({ timeout: UI_MS });
    await panel.locator('[data-testid="attempt-row"][data-outcome="succeeded"]').waitFor();
    check(await panel.getByTestId('attempt-row').count() === 2, 'the detail lists both attempts');
    check(await panel.getByTestId('retry-button').isDisabled(), 'Retry is disabled once the job succeeded');
    await panel.getByTestId('detail-quality').waitFor({ timeout: UI_MS });
    const qualityRows = await panel.locator('[data-testid="quality"] tbody tr td').allTextContents();
    check(qualityRows[0] === '360p' && /^0\.9\d{3}$/.test(qualityRows[2]) && /dB$/.test(qualityRows[3]),
      `the detail shows the rung's quality report (${qualityRows.join(' | ')})`);
    summary.retriedJob = { id: failedJobId, seen: await page.evaluate((id) => window.__trace[id], failedJobId) };
    summary.screenshots.detailAfterRetry = join(outDir, 'detail-after-retry.png');
    await page.screenshot({ path: summary.screenshots.detailAfterRetry });

    begin('showing a refused action');
    await page.locator(row('job-id', uploadedJobId)).click();
    await page.locator(`[data-testid="job-detail"][data-job-id="${uploadedJobId}"][data-state="succeeded"]`).waitFor();
    // The button is disabled for a succeeded job; enabling it by hand sends the request the API must refuse.
    await panel.getByTestId('retry-button').evaluate((button) => { button.disabled = false; });
    await panel.getByTestId('retry-button').click();
    await panel.getByTestId('detail-message').filter({ hasText: 'only failed or cancelled jobs can be retried' }).waitFor();
    summary.refusal = (await panel.getByTestId('detail-message').textContent()).trim();
    await panel.getByTestId('detail-close').click();
    await panel.waitFor({ state: 'hidden' });

    begin('filtering by series');
    await page.getByTestId('filter-series').fill(seriesId);
    await page.getByTestId('filter-apply').click();
    await page.waitForFunction((id) => {
      const rows = [...document.querySelectorAll('tr[data-testid="job-row"]')];
      return rows.length === 1 && rows[0].dataset.jobId === id;
    }, uploadedJobId);
    await page.getByTestId('filter-state').selectOption('failed');
    await page.getByTestId('filter-apply').click();
    await page.getByTestId('jobs-empty').waitFor();
    await page.getByTestId('filter-clear').click();
    await page.locator(row('job-id', failedJobId)).waitFor();

    begin('signing out');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('signin-form').waitFor();
    check(await page.evaluate(() => sessionStorage.getItem('microdrama.operatorToken')) === null,
      'signing out forgets the token');

    check(summary.pageErrors.length === 0, `no uncaught errors in the page: ${summary.pageErrors.join('; ')}`);
    summary.ok = true;
  } catch (e) {
    summary.error = `${step}: ${e.message}`;
    summary.screenshots.failure = join(outDir, 'failure.png');
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
