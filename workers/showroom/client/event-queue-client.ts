/**
 * The showroom pages' analytics queue, run in the shopper's browser (served as
 * /vitrine/events.js, see routes/client-scripts.ts). Events are kept in
 * localStorage first and sent in batches to POST /api/events; a batch that
 * cannot be sent (offline, network error, 429, 5xx) stays queued and goes out
 * on recovery: the `online` event, a retry timer with backoff, the next page.
 *
 * A batch keeps its id (`batch`, the write's idempotency key) until the edge
 * takes it, so a batch re-sent after an unclear answer is stored once. The
 * queue is bounded (QUEUE_MAX events); when it overflows, the oldest events go
 * and the next batch says how many (`dropped`), so the loss is counted, not hidden.
 *
 * Pages call `window.vitrine.track(type, props)`; a `page_view` is recorded on load.
 * This function is serialized into the script and called without arguments: it must
 * not close over anything, and reaches the browser only through `g` (its globalThis).
 */
export function eventQueueClient(g: BrowserGlobals = globalThis as unknown as BrowserGlobals): void {
  const QUEUE = 'vitrine:events:queue';
  const OUTGOING = 'vitrine:events:outgoing';
  const QUEUE_MAX = 500;
  const BATCH_MAX = 100;
  const ENDPOINT = '/api/events';
  type Event = { type: string; at: string; path: string; [k: string]: unknown };
  type Outgoing = { batch: string; events: Event[]; dropped?: number };
  if (!g.localStorage || !g.document || typeof g.fetch !== 'function') return;
  const store = g.localStorage;
  const read = <T>(key: string, fallback: T): T => {
    try {
      const text = store.getItem(key);
      return text ? (JSON.parse(text) as T) : fallback;
    } catch {
      return fallback;
    }
  };
  const write = (key: string, value: unknown): void => {
    try {
      if (value === null) store.removeItem(key);
      else store.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or blocked: the events of this page are sent directly or not at all.
    }
  };
  let dropped = 0;
  let sending = false;
  let retryMs = 5_000;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const track = (type: string, props: Record<string, unknown> = {}): void => {
    const queue = read<Event[]>(QUEUE, []);
    queue.push({ ...props, type: String(type).slice(0, 100), at: new Date().toISOString(), path: g.location.pathname });
    if (queue.length > QUEUE_MAX) dropped += queue.splice(0, queue.length - QUEUE_MAX).length;
    write(QUEUE, queue);
    schedule(0);
  };

  /** The batch to send: the one already under way (same id), else the next events from the queue. */
  const nextOutgoing = (): Outgoing | null => {
    const pending = read<Outgoing | null>(OUTGOING, null);
    if (pending?.events?.length) return pending;
    const queue = read<Event[]>(QUEUE, []);
    if (queue.length === 0) return null;
    // crypto.randomUUID needs a secure context; getRandomValues does not.
    const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    const outgoing: Outgoing = { batch: `ev-${id}`, events: queue.slice(0, BATCH_MAX) };
    if (dropped > 0) outgoing.dropped = dropped;
    dropped = 0;
    write(OUTGOING, outgoing);
    write(QUEUE, queue.slice(BATCH_MAX));
    return outgoing;
  };

  const flush = async (): Promise<void> => {
    if (sending) return;
    sending = true;
    try {
      for (let outgoing = nextOutgoing(); outgoing; outgoing = nextOutgoing()) {
        let ok = false;
        try {
          const res = await g.fetch(ENDPOINT, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': outgoing.batch },
            body: JSON.stringify(outgoing),
            keepalive: true,
          });
          // 4xx other than 408/429: the edge will never take this batch; keeping it would block the queue.
          ok = res.ok || (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429);
        } catch {
          ok = false;
        }
        if (!ok) {
          schedule(retryMs);
          retryMs = Math.min(retryMs * 2, 60_000);
          return;
        }
        retryMs = 5_000;
        write(OUTGOING, null);
      }
    } finally {
      sending = false;
    }
  };

  function schedule(ms: number): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (g.navigator.onLine !== false) void flush();
    }, ms);
  }

  // Leaving the page: hand the batch under way to the browser (sendBeacon survives the unload).
  // It stays in storage; if the beacon got through, the next page's resend is deduplicated by its id.
  g.addEventListener('pagehide', () => {
    const outgoing = nextOutgoing();
    if (outgoing && typeof g.navigator.sendBeacon === 'function')
      g.navigator.sendBeacon(ENDPOINT, new Blob([JSON.stringify(outgoing)], { type: 'application/json' }));
  });
  g.addEventListener('online', () => {
    retryMs = 5_000;
    schedule(0);
  });
  g.vitrine = { ...(g.vitrine ?? {}), track, flush };
  track('page_view', g.document.referrer ? { referrer: g.document.referrer.slice(0, 500) } : {});
}

/** The browser globals the queue uses (the Workers types have no DOM). */
interface BrowserGlobals {
  localStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };
  document?: { referrer: string };
  location: { pathname: string };
  navigator: { onLine?: boolean; sendBeacon?(url: string, data: Blob): boolean };
  fetch(url: string, init: RequestInit & { keepalive?: boolean }): Promise<Response>;
  addEventListener(type: 'pagehide' | 'online', listener: () => void): void;
  vitrine?: object;
}
