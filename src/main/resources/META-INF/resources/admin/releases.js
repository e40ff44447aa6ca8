// The schedule panel: upcoming releases of every series, soonest first, each movable to another time or released at
// once through the series' schedule endpoint (the one producers use for their own series).
import { el, message, replaceChildren, time } from './dom.js';

const pad = (n) => String(n).padStart(2, '0');

/** An instant as the value of a datetime-local input, in this browser's zone. */
function localInput(iso) {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function createReleasesPanel({ api, body, count, panelMessage }) {
  async function load() {
    try {
      const page = await api.get('releases', { limit: 100 });
      render(page.items, page.nextCursor !== null);
      message(panelMessage, '');
    } catch (e) {
      if (!e.unauthorised) {
        message(panelMessage, `Upcoming releases could not be read: ${e.message}`);
      }
    }
  }

  async function change(release, releaseAt) {
    try {
      await api.put(`../producer/series/${release.seriesId}/schedule/episodes/${release.number}`, { releaseAt });
      message(panelMessage, '');
    } catch (e) {
      message(panelMessage, `Episode ${release.number} of ${release.seriesTitle} was not changed: ${e.message}`);
    }
    await load();
  }

  function row(r) {
    const input = el('input', { type: 'datetime-local', value: localInput(r.releaseAt), testid: 'release-input',
      'aria-label': `New release time of ${r.seriesTitle} episode ${r.number}` });
    const form = el('form', { class: 'release-move', onsubmit: (e) => {
      e.preventDefault();
      if (input.value) {
        change(r, new Date(input.value).toISOString());
      }
    } }, input,
    el('button', { type: 'submit', class: 'button', testid: 'release-save' }, 'Move'),
    el('button', { type: 'button', class: 'button subtle', testid: 'release-now', onclick: () => change(r, null) },
      'Release now'));
    const warning = !r.published ? 'not published' : !r.ready ? 'not encoded yet' : '';
    return el('tr', { testid: 'release-row', dataset: { seriesId: r.seriesId, number: r.number, releaseAt: r.releaseAt } },
      el('td', null, r.seriesTitle, ' ', el('span', { class: 'muted small mono' }, r.seriesSlug)),
      el('td', { class: 'num' }, String(r.number)),
      el('td', null, r.episodeTitle || ''),
      el('td', { testid: 'release-at' }, time(r.releaseAt)),
      el('td', { class: 'muted small' }, r.producerId),
      el('td', null, warning ? el('span', { class: 'badge state-failed', testid: 'release-warning' }, warning)
        : el('span', { class: 'badge state-succeeded' }, 'will appear')),
      el('td', null, form));
  }

  function render(items, more) {
    if (items.length === 0) {
      replaceChildren(body, el('tr', { class: 'empty' }, el('td', { colspan: 7 }, 'Nothing scheduled ahead.')));
    } else {
      replaceChildren(body, items.map(row));
    }
    count.textContent = `${items.length}${more ? '+' : ''} upcoming`;
  }

  return { load, clear: () => replaceChildren(body) };
}
