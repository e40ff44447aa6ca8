// Drives the reference H5 player (/) in Debian's chromium as a viewer would, with the page on one origin and the API
// on another: sign in, play the first free episode through its key, switch rung, swipe to the next (prefetched)
// episodes and time each swipe to its first frame, swipe to a locked episode and read the API's 402, top up (as the
// store's payment service), unlock, play.
//
// Inputs (environment variables, or --name=value arguments with the same names in lower case):
//   PAGE_ORIGIN     where the player page is loaded from, e.g. http://localhost:8080
//   API_ORIGIN      the API the page is told to call (?api=), e.g. http://127.0.0.1:8080 (another origin)
//   SERIES          slug of a published series: FREE_EPISODES free episodes, then at least one locked
//   VIEWER_TOKEN    a viewer's JWT; VIEWER_ID its subject
//   PAYMENT_TOKEN   a payment-service JWT (credits the top-up)
//   FREE_EPISODES   default 3; PRICE coins per episode, default 30
//   OUT_DIR         screenshots; CHROMIUM_PATH default /usr/bin/chromium
// Prints one JSON summary on stdout; exits 1 on any failure, after a screenshot OUT_DIR/player-failure.png.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const UI_MS = 20_000;
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

const summary = { ok: false, steps: [], fatalErrors: [], startGaps: [], otherErrors: [], pageErrors: [], swipes: [] };
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

const slide = (n) => `[data-testid="slide"][data-number="${n}"]`;

/** Waits until episode n's slide fills the screen (the swipe's slide-in has ended), e.g. before a screenshot. */
async function onScreen(page, n) {
  await page.waitForFunction((sel) => Math.abs(document.querySelector(sel).getBoundingClientRect().top) < 1, slide(n));
}

/** Waits until episode n's video has played past `seconds` with decoded frames, and returns what it reached. */
async function playedPast(page, n, seconds) {
  await page.waitForFunction(([sel, s]) => {
    const video = document.querySelector(`${sel} video`);
    return video && !video.paused && video.currentTime > s && video.getVideoPlaybackQuality().totalVideoFrames > 0;
  }, [slide(n), seconds], { timeout: UI_MS + seconds * 3000 });
  return page.evaluate((sel) => {
    const video = document.querySelector(`${sel} video`);
    const quality = video.getVideoPlaybackQuality();
    return { currentTime: video.currentTime, frames: quality.totalVideoFrames, dropped: quality.droppedVideoFrames,
      width: video.videoWidth, height: video.videoHeight };
  }, slide(n));
}

async function main() {
  const pageOrigin = input('PAGE_ORIGIN').replace(/\/+$/, '');
  const apiOrigin = input('API_ORIGIN').replace(/\/+$/, '');
  const series = input('SERIES');
  const viewerToken = input('VIEWER_TOKEN');
  const viewerId = input('VIEWER_ID');
  const paymentToken = input('PAYMENT_TOKEN');
  const free = Number(input('FREE_EPISODES', '3'));
  const price = Number(input('PRICE', '30'));
  const outDir = resolve(input('OUT_DIR', join(repo, 'target/browser')));
  const executablePath = input('CHROMIUM_PATH', '/usr/bin/chromium');
  mkdirSync(outDir, { recursive: true });
  summary.pageOrigin = new URL(pageOrigin).origin;
  summary.apiOrigin = new URL(apiOrigin).origin;
  check(summary.pageOrigin !== summary.apiOrigin, 'the page and the API are on different origins');

  begin('launching chromium');
  const profile = mkdtempSync(join(tmpdir(), 'microdrama-player-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required'],
    viewport: { width: 412, height: 915 },
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(UI_MS);
  page.on('pageerror', (e) => summary.pageErrors.push(String(e)));
  const crossOrigin = { key: 0, playlist: 0, segment: 0, refused: [] };
  // What the page read from other origins: only answers that granted this page's origin are readable at all.
  page.on('response', (response) => {
    const url = new URL(response.url());
    const granted = [summary.pageOrigin, '*'].includes(response.headers()['access-control-allow-origin']);
    if (url.origin === summary.pageOrigin || response.status() !== 200 || !granted) {
      return;
    }
    if (url.pathname.startsWith('/api/v1/playback/keys/')) {
      crossOrigin.key++;
    } else if (url.pathname.endsWith('.m3u8')) {
      crossOrigin.playlist++;
    } else if (url.pathname.endsWith('.ts')) {
      crossOrigin.segment++;
      crossOrigin.segmentOrigin = url.origin;
    }
  });
  page.on('requestfailed', (request) => crossOrigin.refused.push(`${request.url()}: ${request.failure()?.errorText}`));

  try {
    begin('checking H.264/AAC through MSE');
    await page.goto('about:blank');
    summary.h264Mse = await page.evaluate(() => window.MediaSource
      && MediaSource.isTypeSupported('video/mp4; codecs="avc1.64001f,mp4a.40.2"'));
    check(summary.h264Mse, 'this chromium cannot decode H.264/AAC through MSE (no proprietary codecs): '
      + 'playback cannot be proven here');

    begin('opening the player from another origin');
    const response = await page.goto(`${pageOrigin}/?api=${encodeURIComponent(apiOrigin)}&series=${encodeURIComponent(series)}`);
    check(response && response.ok(), `GET / answered ${response && response.status()}`);
    await page.locator('body[data-ready="true"]').waitFor();
    check(await page.locator('[data-testid="slide"]').count() >= free + 1, 'one slide per episode');
    check(await page.locator(`${slide(free + 1)}[data-lock="locked"]`).count() === 1,
      `episode ${free + 1} is listed as locked before sign-in`);

    begin('signing in');
    await page.getByTestId('token-input').fill(viewerToken);
    await page.getByTestId('sign-in').click();

    begin('playing episode 1 and switching rung');
    await playedPast(page, 1, 0.5);
    const levels = await page.locator('[data-testid="quality"] option').evaluateAll((options) =>
      options.map((o) => ({ value: o.value, label: o.textContent })));
    check(levels.length >= 3, `auto plus two rungs to choose from: ${JSON.stringify(levels)}`);
    const playing = await page.evaluate(() => window.__player.slides[0].hls.currentLevel);
    const target = levels.find((l) => l.value !== '-1' && Number(l.value) !== playing);
    await page.getByTestId('quality').selectOption(target.value);
    await page.waitForFunction((level) => window.__player.events.some((e) => e.kind === 'level' && e.episode === 1
      && e.level === level), Number(target.value));
    await page.waitForFunction((level) => window.__player.events.some((e) => e.kind === 'fragment' && e.episode === 1
      && e.level === level), Number(target.value));
    summary.rungSwitch = { from: playing, to: Number(target.value), label: target.label };

    begin('playing episode 1 past 4 s');
    summary.episode1 = await playedPast(page, 1, 4);
    await onScreen(page, 1);
    await page.screenshot({ path: join(outDir, 'player-playing.png') });

    for (let n = 2; n <= free; n++) {
      begin(`waiting for episode ${n} to be fetched ahead`);
      await page.waitForFunction((number) => window.__player.events.some((e) => e.kind === 'fragment'
        && e.episode === number), n);
      begin(`swiping to episode ${n}`);
      await page.getByTestId('feed').focus();
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction((count) => window.__player.swipes.length >= count, n - 1);
      await playedPast(page, n, 1);
    }
    summary.swipes = await page.evaluate(() => window.__player.swipes);

    begin('swiping to the locked episode');
    const locked = free + 1;
    await page.keyboard.press('ArrowDown');
    await page.locator(`${slide(locked)}[data-refusal="402"]`).waitFor();
    const refusal = await page.locator(`${slide(locked)} [data-testid="lock-text"]`).textContent();
    check(refusal.includes(`${price} coins`) && refusal.includes('balance 0') && refusal.includes('402'),
      `the 402 is shown: ${refusal}`);
    check(await page.locator(`${slide(locked)} [data-testid="unlock"]`).isVisible(), 'Unlock is offered');
    summary.refusal = refusal;
    await onScreen(page, locked);
    await page.screenshot({ path: join(outDir, 'player-locked.png') });

    begin('unlocking without coins is refused');
    await page.locator(`${slide(locked)} [data-testid="unlock"]`).click();
    await page.waitForFunction((n) => window.__player.events.some((e) => e.kind === 'unlock' && e.episode === n
      && e.status === 402), locked);

    begin('topping up as the store');
    const topUp = await fetch(`${apiOrigin}/api/v1/payments/topups`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${paymentToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ viewerId, purchaseId: `GPA.web-${Date.now()}`, pack: 'coins-100' }),
    });
    check(topUp.ok, `top-up answered ${topUp.status}: ${await topUp.text()}`);

    begin('unlocking and playing the episode');
    await page.locator(`${slide(locked)} [data-testid="unlock"]`).click();
    await page.locator(`${slide(locked)}[data-lock="unlocked"]`).waitFor();
    summary.unlocked = await playedPast(page, locked, 1);

    const events = await page.evaluate(() => window.__player.events);
    summary.fatalErrors = events.filter((e) => e.kind === 'error' && e.fatal);
    summary.startGaps = events.filter((e) => e.kind === 'error' && e.details === 'bufferSeekOverHole');
    summary.otherErrors = events.filter((e) => e.kind === 'error' && !e.fatal && e.details !== 'bufferSeekOverHole');
    summary.keyRequests = crossOrigin.key;
    summary.crossOrigin = crossOrigin;
    summary.firstFrameMs = await page.evaluate(() => window.__player.firstFrameMs);
    check(summary.fatalErrors.length === 0, `no fatal hls.js error: ${JSON.stringify(summary.fatalErrors)}`);
    check(summary.startGaps.length === 0, `no gap skipped: ${JSON.stringify(summary.startGaps)}`);
    check(crossOrigin.key >= free + 1, `keys fetched cross-origin for every played episode (${crossOrigin.key})`);
    check(crossOrigin.playlist > 0 && crossOrigin.segment > 0, 'playlists and segments fetched cross-origin');
    check(summary.pageErrors.length === 0, `no uncaught errors in the page: ${summary.pageErrors.join('; ')}`);
    summary.ok = true;
  } catch (e) {
    summary.error = `${step}: ${e.message}`;
    summary.crossOrigin = crossOrigin;
    summary.events = await page.evaluate(() => window.__player && window.__player.events).catch(() => null);
    await page.screenshot({ path: join(outDir, 'player-failure.png'), fullPage: true }).catch(() => {});
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
