// The jobs table: filtered pages newest first, kept current by live events.
import { el, message, progressBar, replaceChildren, shortError, stateBadge, time } from './dom.js';

const PAGE_SIZE = 50;

/** Newest first, as the API orders: queuedAt desc, then id desc. */
function newer(a, b) {
  const ta = Date.parse(a.queuedAt);
  const tb = Date.parse(b.queuedAt);
  return ta !== tb ? ta > tb : a.id > b.id;
}

function instant(localValue) {
  // <input type=datetime-local> gives local wall time; the API wants an instant.
  return localValue ? new Date(localValue).toISOString() : '';
}

export function createJobsTable({ api, form, body, loadMore, count, filterMessage, onOpen, onError }) {
  let jobs = new Map();
  let order = [];
  let filter = {};
  let nextCursor = null;
  let selectedId = null;
  let generation = 0;

  function readFilter() {
    const data = new FormData(form);
    return {
      state: data.get('state') || '',
      seriesId: String(data.get('seriesId') || '').trim(),
      episodeId: String(data.get('episodeId') || '').trim(),
      from: instant(data.get('from')),
      to: instant(data.get('to')),
    };
  }

  function matches(job) {
    return (!filter.state || job.state === filter.state)
        && (!filter.seriesId || job.seriesId === filter.seriesId.toLowerCase())
        && (!filter.episodeId || job.episodeId === filter.episodeId.toLowerCase())
        && (!filter.from || Date.parse(job.queuedAt) >= Date.parse(filter.from))
        && (!filter.to || Date.parse(job.queuedAt) < Date.parse(filter.to));
  }

  function row(job) {
    const tr = el('tr', {
      class: job.id === selectedId ? 'selected' : null,
      tabindex: 0,
      testid: 'job-row',
      dataset: { jobId: job.id, versionId: job.versionId, state: job.state },
      onclick: () => onOpen(job.id),
      onkeydown: (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen(job.id);
        }
      },
    },
    el('td', { class: 'series' },
      el('span', { class: 'title', testid: 'job-series' }, job.seriesTitle),
      el('span', { class: 'episode muted', testid: 'job-episode' }, ` · ep ${job.episodeNumber}`,
        job.versionNumber > 1 ? ` v${job.versionNumber}` : '')),
    el('td', null, stateBadge(job.state), job.cancelRequested && job.state === 'running'
      ? el('span', { class: 'muted small' }, ' cancelling') : null),
    el('td', null, progressBar(job.progress, job.state)),
    el('td', { class: 'num', testid: 'job-attempts' }, `${job.attempts} / ${job.maxAttempts}`),
    el('td', { class: 'worker mono small', testid: 'job-worker', title: job.worker || '' }, job.worker || '–'),
    el('td', { class: 'nowrap' }, time(job.queuedAt)),
    el('td', { class: 'nowrap' }, time(job.updatedAt)),
    el('td', { class: 'error-cell' }, shortError(job.errorMessage)));
    return tr;
  }

  function rowNode(id) {
    return body.querySelector(`tr[data-job-id="${CSS.escape(id)}"]`);
  }

  function renderAll() {
    if (order.length === 0) {
      replaceChildren(body, el('tr', { class: 'empty', testid: 'jobs-empty' },
        el('td', { colspan: 8 }, 'No jobs match these filters.')));
    } else {
      replaceChildren(body, order.map((id) => row(jobs.get(id))));
    }
    renderFooter();
  }

  function renderFooter() {
    loadMore.hidden = !nextCursor;
    count.textContent = `${order.length} job${order.length === 1 ? '' : 's'} shown${nextCursor ? ', more below' : ''}`;
  }

  /** The first page (again), or with append the next one; fromForm takes the filters as the form now shows them. */
  async function load({ append, fromForm } = {}) {
    const mine = append ? generation : ++generation;
    if (fromForm) {
      filter = readFilter();
    }
    message(filterMessage, '');
    loadMore.disabled = true;
    try {
      const page = await api.get('jobs', { ...filter, limit: PAGE_SIZE, cursor: append ? nextCursor : '' });
      if (mine !== generation) {
        return; // a newer load replaced this one
      }
      // Live events may have brought a newer state of a job than this page read: keep the newer one.
      const before = jobs;
      if (!append) {
        jobs = new Map();
        order = [];
      }
      for (const job of page.items) {
        if (!jobs.has(job.id)) {
          order.push(job.id);
        }
        const known = before.get(job.id);
        jobs.set(job.id, known && Date.parse(known.updatedAt) > Date.parse(job.updatedAt) ? known : job);
      }
      nextCursor = page.nextCursor;
      renderAll();
    } catch (e) {
      if (e.status === 400) {
        message(filterMessage, e.message);
      } else if (!e.unauthorised && e.name !== 'AbortError') {
        onError(e);
      }
    } finally {
      loadMore.disabled = false;
    }
  }

  /** A job as the API now sees it (a live event, or the answer to retry/cancel). */
  function apply(job) {
    const known = jobs.get(job.id);
    if (known) {
      // Events of one job arrive in order, but a page read may race them: never go back in time.
      if (Date.parse(job.updatedAt) < Date.parse(known.updatedAt)) {
        return;
      }
      jobs.set(job.id, job);
      const node = rowNode(job.id);
      if (node) {
        const fresh = row(job);
        const focused = node === document.activeElement;
        node.replaceWith(fresh);
        if (focused) {
          fresh.focus({ preventScroll: true });
        }
      }
      return;
    }
    if (!matches(job)) {
      return;
    }
    // Older than the last row while more pages remain: it will come with those pages.
    const last = order.length ? jobs.get(order[order.length - 1]) : null;
    if (nextCursor && last && !newer(job, last)) {
      return;
    }
    let index = order.findIndex((id) => newer(job, jobs.get(id)));
    if (index < 0) {
      index = order.length;
    }
    jobs.set(job.id, job);
    order.splice(index, 0, job.id);
    if (order.length === 1) {
      renderAll();
      return;
    }
    const next = order[index + 1] ? rowNode(order[index + 1]) : null;
    const fresh = row(job);
    fresh.classList.add('arrived');
    body.insertBefore(fresh, next);
    renderFooter();
  }

  function select(id) {
    selectedId = id;
    for (const tr of body.querySelectorAll('tr.selected')) {
      tr.classList.remove('selected');
    }
    const node = id ? rowNode(id) : null;
    if (node) {
      node.classList.add('selected');
    }
  }

  function clear() {
    generation++;
    jobs = new Map();
    order = [];
    nextCursor = null;
    body.replaceChildren();
    loadMore.hidden = true;
    count.textContent = '';
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load({ fromForm: true });
  });
  // 'reset' fires before the fields are cleared.
  form.addEventListener('reset', () => setTimeout(() => load({ fromForm: true }), 0));
  loadMore.addEventListener('click', () => load({ append: true }));

  return { load, apply, select, clear, get: (id) => jobs.get(id) };
}
