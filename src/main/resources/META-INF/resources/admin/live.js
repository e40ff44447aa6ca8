// Live job events. EventSource cannot send an Authorization header, so the text/event-stream is read with fetch()
// and parsed here: fields one per line, an event ends at a blank line, lines starting with ':' are comments.

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;
// The server sends a comment every 15 s; silence for longer than this means a dead connection.
const STALE_MS = 45000;

/**
 * Connects and keeps reconnecting (with exponential backoff) until close(). Callbacks:
 * onJob(summary), onStatus('connecting' | 'live' | 'offline', retryInMs), onUnauthorised(status),
 * onReconnected() after a connection that follows a lost one (events in between are lost: re-read the list).
 */
export function connectJobEvents({ url, token, onJob, onStatus, onUnauthorised, onReconnected }) {
  let stopped = false;
  let current = null;
  let wake = null;

  /** One connection, read until it ends or breaks; answers whether it got as far as an open stream. */
  async function connectOnce(hadConnection) {
    const attempt = new AbortController();
    current = attempt;
    let opened = false;
    let watchdog = null;
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => attempt.abort(), STALE_MS);
    };
    try {
      alive();
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
        cache: 'no-store',
        signal: attempt.signal,
      });
      if (response.status === 401 || response.status === 403) {
        stopped = true;
        onUnauthorised(response.status);
        return false;
      }
      if (!response.ok || !response.body) {
        throw new Error(`HTTP ${response.status}`);
      }
      opened = true;
      onStatus('live');
      if (hadConnection) {
        onReconnected();
      }
      await readEvents(response.body, alive, (event) => {
        if (event.type === 'job' && event.data) {
          onJob(JSON.parse(event.data));
        }
      });
    } catch (e) {
      if (!stopped) {
        console.warn('Job events interrupted:', e.message || e);
      }
    } finally {
      clearTimeout(watchdog);
    }
    return opened;
  }

  async function run() {
    let delay = FIRST_DELAY_MS;
    let hadConnection = false;
    while (!stopped) {
      onStatus('connecting');
      if (await connectOnce(hadConnection)) {
        hadConnection = true;
        delay = FIRST_DELAY_MS;
      }
      if (stopped) {
        return;
      }
      onStatus('offline', delay);
      await new Promise((resolve) => {
        wake = resolve;
        setTimeout(resolve, delay);
      });
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }

  run();
  return {
    close() {
      stopped = true;
      if (current) {
        current.abort();
      }
      if (wake) {
        wake();
      }
    },
  };
}

/** Reads events until the stream ends; calls onBytes on every chunk (comments included) for the watchdog. */
export async function readEvents(body, onBytes, dispatch) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let type = '';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    onBytes();
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      let line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      if (line.endsWith('\r')) {
        line = line.slice(0, -1);
      }
      if (line === '') {
        if (data.length > 0) {
          dispatch({ type: type || 'message', data: data.join('\n') });
        }
        type = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let fieldValue = colon < 0 ? '' : line.slice(colon + 1);
      if (fieldValue.startsWith(' ')) {
        fieldValue = fieldValue.slice(1);
      }
      if (field === 'event') {
        type = fieldValue;
      } else if (field === 'data') {
        data.push(fieldValue);
      }
    }
  }
}
