// The job detail panel: every field, the attempt history with errors and ffmpeg log tails, source, renditions, quality,
// and the two operator actions.
import { bytes, el, message, progressBar, replaceChildren, speed, stateBadge, time } from './dom.js';

const RETRYABLE = new Set(['failed', 'cancelled']);
const CANCELLABLE = new Set(['queued', 'running']);
// Progress events come several times a second while a job runs; the panel re-reads at most this often.
const REFRESH_MS = 1000;

function field(label, ...value) {
  return [el('dt', null, label), el('dd', null, ...value)];
}

function section(title, testid, ...content) {
  return el('section', { class: 'detail-section', testid }, el('h3', null, title), ...content);
}

function table(testid, head, rows) {
  return el('table', { class: 'table compact', testid },
    el('thead', null, el('tr', null, head.map((h) => el('th', null, h)))),
    el('tbody', null, rows));
}

function logTail(text, testid) {
  return el('pre', { class: 'log', testid }, text);
}

export function createDetailPanel({ api, panel, onJob, onClosed }) {
  const title = panel.querySelector('#detail-title');
  const idLine = panel.querySelector('#detail-id');
  const body = panel.querySelector('#detail-body');
  const hint = panel.querySelector('#detail-hint');
  const retryButton = panel.querySelector('#retry-button');
  const cancelButton = panel.querySelector('#cancel-button');
  const notice = panel.querySelector('#detail-message');
  let openId = null;
  let shown = null;
  let busy = false;
  let refreshTimer = null;
  let lastRead = 0;

  function renderActions() {
    const state = shown ? shown.state : null;
    retryButton.disabled = busy || !RETRYABLE.has(state);
    cancelButton.disabled = busy || !CANCELLABLE.has(state) || (shown && shown.cancelRequested);
    hint.textContent = shown && shown.cancelRequested && state === 'running'
      ? 'Cancel requested: the worker stops at its next heartbeat.' : '';
  }

  function render(job) {
    shown = job;
    panel.dataset.jobId = job.id;
    panel.dataset.state = job.state;
    replaceChildren(title, `${job.seriesTitle} · episode ${job.episodeNumber}`, ' ', stateBadge(job.state));
    idLine.textContent = `job ${job.id}`;
    const attempts = job.attemptHistory || [];
    const source = job.source || {};
    const renditions = job.renditions || [];
    const quality = job.quality || [];
    replaceChildren(body,
      progressBar(job.progress, job.state),
      el('dl', { class: 'fields', testid: 'detail-fields' },
        field('State', job.state, job.cancelRequested ? ' (cancel requested)' : ''),
        field('Attempts', `${job.attempts} of ${job.maxAttempts}`),
        field('Worker', el('span', { class: 'mono' }, job.worker || '–')),
        field('Encode speed', speed(job.encodeSpeed)),
        field('Series', job.seriesTitle, ' ', el('span', { class: 'mono muted small' }, job.seriesId)),
        field('Episode', `#${job.episodeNumber} `, el('span', { class: 'mono muted small' }, job.episodeId)),
        field('Version', `#${job.versionNumber} `, el('span', { class: 'mono muted small' }, job.versionId)),
        field('Queued', time(job.queuedAt)),
        field('Started', time(job.startedAt)),
        field('Finished', time(job.finishedAt)),
        field('Updated', time(job.updatedAt)),
        field('Next run', time(job.nextRunAt)),
        field('Heartbeat', time(job.heartbeatAt)),
        field('Lease expires', time(job.leaseExpiresAt))),
      job.mediaMissing ? section('Media missing', 'detail-media-missing',
        el('p', { class: 'error-text', testid: 'detail-media-missing-text' },
          `Viewers asked for this version and storage does not have its media: ${job.mediaMissing.hits} plays refused, `,
          'first ', time(job.mediaMissing.firstSeenAt), ', last ', time(job.mediaMissing.lastSeenAt),
          '. Upload the source again, or restore the objects.')) : null,
      (job.errorMessage || job.errorLogTail) ? section('Error', 'detail-error-section',
        el('p', { class: 'error-text', testid: 'detail-error' }, job.errorMessage || ''),
        job.errorLogTail ? logTail(job.errorLogTail, 'detail-log-tail') : null) : null,
      section('Attempts', 'detail-attempts', attempts.length === 0
        ? el('p', { class: 'muted' }, 'Not started yet.')
        : table('attempt-history', ['#', 'Worker', 'Started', 'Finished', 'Outcome', 'Speed', 'Error'],
          attempts.map((a) => el('tr', { testid: 'attempt-row', dataset: { outcome: a.outcome || 'running' } },
            el('td', { class: 'num' }, a.attempt),
            el('td', { class: 'mono small nowrap' }, a.worker),
            el('td', { class: 'nowrap' }, time(a.startedAt)),
            el('td', { class: 'nowrap' }, time(a.finishedAt)),
            el('td', null, a.outcome ? stateBadge(a.outcome) : el('span', { class: 'muted' }, 'running')),
            el('td', { class: 'num' }, speed(a.encodeSpeed)),
            el('td', { class: 'error-cell' }, a.errorMessage ? el('span', { class: 'error-text' }, a.errorMessage) : '',
              a.errorLogTail ? el('details', null, el('summary', null, 'ffmpeg log'), logTail(a.errorLogTail)) : null))))),
      section('Source', 'detail-source',
        el('dl', { class: 'fields' },
          field('Key', el('span', { class: 'mono' }, source.key || '–')),
          field('Size', bytes(source.size))),
        source.probe ? logTail(JSON.stringify(source.probe, null, 2), 'detail-probe')
          : el('p', { class: 'muted' }, 'No probe stored.')),
      section('Renditions', 'detail-renditions', renditions.length === 0
        ? el('p', { class: 'muted' }, 'None yet.')
        : table('renditions', ['Name', 'Size', 'Bandwidth'], renditions.map((r) => el('tr', null,
          el('td', null, r.name), el('td', { class: 'num' }, `${r.width}×${r.height}`),
          el('td', { class: 'num' }, `${Math.round(r.bandwidth / 1000).toLocaleString('en')} kbit/s`))))),
      quality.length === 0 ? null : section('Quality', 'detail-quality',
        table('quality', ['Rung', 'Bitrate', 'SSIM', 'PSNR', 'Frames compared', 'Rate control'], quality.map((q) =>
          el('tr', null,
            el('td', null, q.rendition),
            el('td', { class: 'num' }, `${Math.round(q.bitrate / 1000).toLocaleString('en')} kbit/s`),
            el('td', { class: 'num' }, q.ssim.toFixed(4)),
            el('td', { class: 'num' }, `${q.psnr.toFixed(2)} dB`),
            el('td', { class: 'num' }, q.sampledFrames),
            el('td', null, q.rateControl))))));
    renderActions();
  }

  async function read() {
    const id = openId;
    lastRead = Date.now();
    try {
      const job = await api.get(`jobs/${encodeURIComponent(id)}`);
      if (id === openId) {
        render(job);
      }
    } catch (e) {
      if (id === openId && !e.unauthorised) {
        message(notice, e.message);
      }
    }
  }

  /** Re-reads soon, at most once per REFRESH_MS, and always once after the last change. */
  function refreshSoon() {
    if (refreshTimer) {
      return;
    }
    const wait = Math.max(0, REFRESH_MS - (Date.now() - lastRead));
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      read();
    }, wait);
  }

  async function open(id) {
    openId = id;
    shown = null;
    busy = false;
    clearTimeout(refreshTimer);
    refreshTimer = null;
    message(notice, '');
    panel.dataset.jobId = id;
    delete panel.dataset.state;
    title.textContent = 'Loading…';
    idLine.textContent = `job ${id}`;
    body.replaceChildren();
    renderActions();
    panel.hidden = false;
    await read();
  }

  function close() {
    openId = null;
    shown = null;
    clearTimeout(refreshTimer);
    refreshTimer = null;
    panel.hidden = true;
    delete panel.dataset.jobId;
    onClosed();
  }

  async function act(action) {
    const id = openId;
    busy = true;
    renderActions();
    message(notice, '');
    try {
      const summary = await api.post(`jobs/${encodeURIComponent(id)}/${action}`);
      onJob(summary);
    } catch (e) {
      if (!e.unauthorised && id === openId) {
        message(notice, e.status ? `${e.message} (HTTP ${e.status})` : e.message);
      }
    } finally {
      busy = false;
      if (id === openId) {
        await read();
      }
    }
  }

  retryButton.addEventListener('click', () => act('retry'));
  cancelButton.addEventListener('click', () => act('cancel'));
  panel.querySelector('#detail-close').addEventListener('click', close);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !panel.hidden) {
      close();
    }
  });

  return {
    open,
    close,
    get openId() {
      return openId;
    },
    /** A live change: re-read the open job when it is the one that changed. */
    changed(job) {
      if (job.id === openId) {
        refreshSoon();
      }
    },
  };
}
