// Server-sent events read with fetch: a browser's EventSource cannot send the Authorization header,
// and the gateway takes no key in a URL (it would end up in logs). Resumes after a drop from the
// last id it saw, as EventSource does with Last-Event-ID.

/** Calls onEvent({ id, event, data }) for each event until signal aborts; reconnects after an error. */
export async function follow(path, headers, onEvent, signal, onState = () => {}) {
  let lastId = null;
  while (!signal.aborted) {
    try {
      const response = await fetch(path, { headers: lastId ? { ...headers, 'Last-Event-ID': lastId } : headers, signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      onState('open');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replaceAll('\r\n', '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = parseEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event) {
            lastId = event.id ?? lastId;
            onEvent(event);
          }
        }
      }
    } catch (e) {
      if (signal.aborted) return;
      onState('retrying');
    }
    await new Promise(resolve => setTimeout(resolve, 1000)); // a reconnect's back-off, as EventSource's default retry
  }
}

/** One event's lines; null for a heartbeat comment. */
function parseEvent(block) {
  const event = { event: 'message', data: '' };
  let any = false;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const [field, value] = colon < 0 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')];
    if (field === 'data') { event.data += (any && event.data ? '\n' : '') + value; any = true; }
    else if (field === 'id') event.id = value;
    else if (field === 'event') event.event = value;
  }
  return any ? event : null;
}
