// Live updates: the API's event stream (GET /events, Server-Sent Events, same origin and cookie). While the stream
// cannot be opened or has dropped, the page polls instead every 3 s, and goes back to the stream once it reconnects.

const POLL_MS = 3000;
const EVENT_TYPES = ['vm.created', 'vm.updated', 'vm.status_changed', 'vm.deleted', 'action.started', 'action.completed',
  'action.errored', 'image.created', 'image.updated', 'image.deleted', 'volume.created', 'volume.updated', 'volume.deleted',
  'snapshot.created', 'snapshot.updated', 'snapshot.deleted',
  'tag.created', 'tag.deleted', 'domain.created', 'domain.updated', 'domain.deleted', 'resync'];

/** Calls `changed` (debounced) on every change to resources of the given types; returns a function that stops it. */
export function watch(resourceTypes, changed) {
  let timer = null;
  let poll = null;
  let stopped = false;
  const soon = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => { timer = null; changed(); }, 150);
  };
  const startPolling = () => { if (!poll && !stopped) poll = setInterval(changed, POLL_MS); };
  const stopPolling = () => { clearInterval(poll); poll = null; };

  let source = null;
  if (typeof EventSource === 'function') {
    source = new EventSource('/api/v1/events?resource_type=' + encodeURIComponent(resourceTypes.join(',')));
    for (const type of EVENT_TYPES) source.addEventListener(type, soon);
    source.onmessage = soon;
    // The page read its resources before the stream opened; whatever changed in between comes only from a fresh read.
    source.onopen = () => { stopPolling(); soon(); };
    // The browser reconnects by itself while readyState is CONNECTING; meanwhile (or if it gave up) poll.
    source.onerror = startPolling;
  } else {
    startPolling();
  }
  return () => {
    stopped = true;
    clearTimeout(timer);
    stopPolling();
    source?.close();
  };
}
