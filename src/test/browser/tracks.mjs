// Plays a localised master (a dub and subtitle renditions) with hls.js in Debian's chromium, as a viewer's player
// would: lists the audio and subtitle tracks, switches audio to the muxed original and back to a dub, switches
// subtitles and reads the cues the browser shows.
//
// What it proves: hls.js parses our EXT-X-MEDIA renditions (the URI-less original included) with their languages
// and DEFAULTs, loads the dub's encrypted audio-only segments through the key URI when switched to it, and places
// the WebVTT cues on the video's timeline (X-TIMESTAMP-MAP) at the times the producer gave. Where the browser cannot
// decode H.264 (MSE says so) it still proves the track lists and reports canPlay: false.
//
// Inputs (environment variables):
//   BASE_URL        the running app, e.g. http://localhost:8080
//   MASTER_PATH     the masterUrl of a playback answer (with its token and preferences)
//   AUDIO           expected audio languages, comma-separated, the default first marked with '*' (e.g. "en,*es")
//   SUBTITLES       expected subtitle languages likewise (e.g. "*en,fr")
//   SWITCH_TO       subtitle language to switch to, then CUE_TEXT / CUE_START (seconds) of its first cue
//   OUT_DIR, CHROMIUM_PATH
// Prints one JSON summary on stdout; exits 1 on any failure.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) {
    throw new Error(`missing input ${name}`);
  }
  return value;
};
const base = env('BASE_URL').replace(/\/+$/, '');
const expected = (list) => list.split(',').map((l) => ({ lang: l.replace('*', ''), isDefault: l.startsWith('*') }));
const summary = { ok: false };
const check = (condition, what) => {
  if (!condition) {
    throw new Error(`check failed: ${what}`);
  }
};

const browser = await chromium.launch({
  executablePath: env('CHROMIUM_PATH', '/usr/bin/chromium'),
  args: ['--autoplay-policy=no-user-gesture-required', '--no-sandbox'],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => (summary.pageError = String(e)));
  // A blank page on the app's origin: playlists and keys are same-origin, as in an app's web view.
  await page.route(`${base}/__player`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><video id="v" muted playsinline></video>' }));
  // Segments come from storage (a CDN in production, which sends CORS headers; S3Proxy here does not): add them.
  await page.route((url) => !url.href.startsWith(base), async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'access-control-allow-origin': '*' } });
  });
  await page.goto(`${base}/__player`);
  await page.addScriptTag({ content: readFileSync(join(here, 'node_modules/hls.js/dist/hls.min.js'), 'utf8') });

  const result = await page.evaluate(async ({ master, switchTo }) => {
    const video = document.getElementById('v');
    const out = { hlsVersion: Hls.version, errors: [], audioFragments: [] };
    out.canPlay = MediaSource.isTypeSupported('video/mp4; codecs="avc1.42c01e,mp4a.40.2"');
    const hls = new Hls({ renderTextTracksNatively: true });
    const when = (event, test = () => true, ms = 30000) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms; errors: ${out.errors}`)), ms);
      const handler = (e, data) => {
        if (test(data)) {
          clearTimeout(timer);
          hls.off(event, handler);
          resolve(data);
        }
      };
      hls.on(event, handler);
    });
    hls.on(Hls.Events.ERROR, (e, d) => out.errors.push(`${d.details}${d.fatal ? ' (fatal)' : ''} ${d.response?.code ?? ''} ${d.error?.message ?? ''}`.trim()));
    hls.on(Hls.Events.FRAG_LOADED, (e, d) => {
      if (d.frag.type === 'audio') {
        out.audioFragments.push(d.frag.url.split('?')[0].split('/').slice(-2).join('/'));
      }
    });
    const parsed = when(Hls.Events.MANIFEST_PARSED);
    hls.loadSource(master);
    hls.attachMedia(video);
    await parsed;
    const tracks = (list) => list.map((t) => ({ lang: t.lang, name: t.name, isDefault: t.default }));
    out.audio = tracks(hls.audioTracks);
    out.subtitles = tracks(hls.subtitleTracks);
    out.initialAudio = hls.audioTracks[hls.audioTrack]?.lang;
    if (!out.canPlay) {
      return out;
    }
    video.play().catch((e) => out.errors.push(`play: ${e.message}`));
    // To the original (the rendition without URI: audio from the video segments), then back to the default dub.
    const dub = hls.audioTrack;
    const original = hls.audioTracks.findIndex((t) => !t.url);
    // hls.js announces the switch to the muxed original at once (SWITCHING); its SWITCHED waits for main
    // fragments to be re-buffered, which a muted headless page need not do in time.
    const toOriginal = when(Hls.Events.AUDIO_TRACK_SWITCHING, (d) => d.id === original);
    hls.audioTrack = original;
    await toOriginal;
    out.switchedToOriginal = hls.audioTracks[hls.audioTrack].lang;
    out.audioFragments = [];
    const dubBuffered = when(Hls.Events.FRAG_BUFFERED, (d) => d.frag.type === 'audio');
    hls.audioTrack = dub;
    await dubBuffered;
    out.switchedBackTo = hls.audioTracks[hls.audioTrack].lang;

    const target = hls.subtitleTracks.findIndex((t) => t.lang === switchTo);
    const subtitleSwitched = when(Hls.Events.SUBTITLE_TRACK_SWITCH, (d) => d.id === target);
    hls.subtitleTrack = target;
    await subtitleSwitched;
    out.subtitleTrack = hls.subtitleTracks[hls.subtitleTrack].lang;
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      const shown = [...video.textTracks].find((t) => t.language === switchTo && t.mode === 'showing');
      if (shown && shown.cues && shown.cues.length > 0) {
        out.cues = [...shown.cues].map((c) => ({ start: c.startTime, end: c.endTime, text: c.text }));
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    out.currentTime = video.currentTime;
    hls.destroy();
    return out;
  }, { master: `${base}${env('MASTER_PATH')}`, switchTo: env('SWITCH_TO') });
  Object.assign(summary, result);

  check(JSON.stringify(result.audio.map((t) => ({ lang: t.lang, isDefault: t.isDefault })))
    === JSON.stringify(expected(env('AUDIO'))), `audio tracks ${JSON.stringify(result.audio)}`);
  check(JSON.stringify(result.subtitles.map((t) => ({ lang: t.lang, isDefault: t.isDefault })))
    === JSON.stringify(expected(env('SUBTITLES'))), `subtitle tracks ${JSON.stringify(result.subtitles)}`);
  if (result.canPlay) {
    check(result.switchedToOriginal === expected(env('AUDIO'))[0].lang, 'switched to the original audio');
    check(result.audioFragments.some((f) => f.startsWith('a-')), `dub fragments loaded: ${result.audioFragments}`);
    check(result.subtitleTrack === env('SWITCH_TO'), 'subtitle track switched');
    const cue = (result.cues || []).find((c) => c.text.includes(env('CUE_TEXT')));
    check(cue !== undefined, `cue '${env('CUE_TEXT')}' shown: ${JSON.stringify(result.cues)}`);
    check(Math.abs(cue.start - Number(env('CUE_START'))) < 0.1, `cue starts at ${cue.start}, not ${env('CUE_START')}`);
  }
  summary.ok = true;
} catch (e) {
  summary.error = String(e.stack || e);
} finally {
  await browser.close();
  console.log(JSON.stringify(summary, null, 2));
  process.exitCode = summary.ok ? 0 : 1;
}
