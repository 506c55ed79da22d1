/**
 * The drill's shopper load: autocannon (as a library) on loopback, each
 * connection a shopper picking its next request from a weighted mix —
 * catalog and product pages, `/api` reads (some of them searches nobody asked
 * for before, which no cache holds), asset range requests, and quote requests
 * and order intents with their own Idempotency-Key (some sent twice). Every
 * answer is judged as a shopper would see it (see {@link judge}) and kept as a
 * {@link Sample} for the timeline; every write key is tracked for the
 * lost/duplicated count afterwards.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { loadCatalogFile } from '../../static-fallback/importers/load-catalog.ts';
import { modelIdFromPath, readModelFiles } from '../../static-fallback/importers/models-map.ts';
import { FIXTURE_CATALOG, FIXTURE_MODELS } from '../support/fixtures.ts';

export type RequestKind = 'page' | 'product' | 'api' | 'asset' | 'quote' | 'order';
export const REQUEST_KINDS: readonly RequestKind[] = ['page', 'product', 'api', 'asset', 'quote', 'order'];

/** Share of each kind in the mix (out of 100). */
export const MIX: Record<RequestKind, number> = { page: 18, product: 18, api: 30, asset: 16, quote: 9, order: 9 };
/** Share of writes that send an earlier write again, same key and body (a double tap, a resend after a crash). */
const RESEND_PERCENT = 10;

/** What the load asks for: real slugs, skus and categories from the fixture catalog, and the built models' files. */
export interface ShopperData {
  categories: string[];
  /** Category listings with a second page (`/c/<category>?page=2`). */
  pagedCategories: string[];
  slugs: string[];
  skus: string[];
  terms: string[];
  /** Asset paths on the edge, `/models/<id>/<file>`. */
  assets: string[];
}

/** One answer (or network error), as the shopper saw it. */
export interface Sample {
  /** When the answer completed, ms since the drill's clock started. */
  t: number;
  kind: RequestKind | 'unknown';
  path: string;
  status: number;
  latencyMs: number;
  bytes: number;
  /** Who answered: `X-Vitrine-Source` at the edge; for nginx its cache status (origin, cache, stale, static). */
  source: string;
  mode: string | null;
  /** The edge's own time for it (Server-Timing `total`), without the network and the local proxy; absent for nginx. */
  edgeMs?: number;
  /** Why this answer is a shopper-visible failure, if it is one. */
  failure?: string;
}

export interface TrackedWrite {
  kind: 'orders' | 'leads';
  key: string;
  body: string;
  /** When it was first sent (drill clock, ms). */
  sentAt: number;
  acked: boolean;
  answers: number[];
}

/** Which deployment the load is aimed at: the edge (X-Vitrine-* headers) or nginx (X-Cache-Status). */
export type TargetKind = 'vitrine' | 'nginx';

const VITRINE_SOURCES = new Set(['origin', 'snapshot', 'mirror', 'edge-render', 'edge', 'r2', 'primary-cdn', 'outbox']);

/** Reads the fixture catalog and fetches the built models' manifests from `baseUrl` (the edge). */
export async function loadShopperData(baseUrl: string): Promise<ShopperData> {
  const { products } = await loadCatalogFile(FIXTURE_CATALOG, { modelsPath: FIXTURE_MODELS });
  const terms = [...new Set(products.flatMap((p) => p.title.toLowerCase().split(/[^a-z]+/)).filter((w) => w.length >= 4))];
  const assets: string[] = [];
  for (const id of (await readModelFiles(FIXTURE_MODELS)).map(modelIdFromPath)) {
    const res = await fetch(`${baseUrl}/models/${id}/manifest.json`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`drill: ${baseUrl}/models/${id}/manifest.json answered ${res.status}; are the fixture models published?`);
    const manifest = (await res.json()) as { levels: { uri: string }[]; poster?: { uri: string } };
    for (const file of [...manifest.levels.map((l) => l.uri), ...(manifest.poster ? [manifest.poster.uri] : [])]) {
      assets.push(`/models/${id}/${file}`);
    }
  }
  const categories = [...new Set(products.map((p) => p.category))];
  const pagedCategories: string[] = [];
  for (const category of categories) {
    const res = await fetch(`${baseUrl}/c/${category}?page=2`, { signal: AbortSignal.timeout(5_000) });
    await res.body?.cancel();
    if (res.ok) pagedCategories.push(category);
  }
  return {
    categories,
    pagedCategories,
    slugs: products.map((p) => p.slug),
    skus: products.map((p) => p.sku),
    terms,
    assets,
  };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

function pickKind(): RequestKind {
  let r = Math.random() * 100;
  for (const kind of REQUEST_KINDS) {
    r -= MIX[kind];
    if (r < 0) return kind;
  }
  return 'page';
}

interface Planned {
  kind: RequestKind;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  write?: TrackedWrite;
}

/** The next request of a shopper. `runId` prefixes every Idempotency-Key, so the drill finds its own rows. */
export function planRequest(
  data: ShopperData,
  writes: Map<string, TrackedWrite>,
  recent: TrackedWrite[],
  runId: string,
  now: number,
): Planned {
  const kind = pickKind();
  switch (kind) {
    case 'page': {
      const r = Math.random();
      const paged = data.pagedCategories.length > 0 && r >= 0.8;
      const path = r < 0.25 ? '/' : paged ? `/c/${pick(data.pagedCategories)}?page=2` : `/c/${pick(data.categories)}`;
      return { kind, method: 'GET', path, headers: {} };
    }
    case 'product':
      return { kind, method: 'GET', path: `/p/${pick(data.slugs)}`, headers: {} };
    case 'api': {
      const r = Math.random();
      const path =
        r < 0.5
          ? `/api/products/${encodeURIComponent(pick(data.skus))}`
          : r < 0.75
            ? `/api/products?category=${pick(data.categories)}&pageSize=12`
            : `/api/products?q=${pick(data.terms)}&page=${1 + Math.floor(Math.random() * 3)}`;
      return { kind, method: 'GET', path, headers: { accept: 'application/json' } };
    }
    case 'asset': {
      const start = Math.floor(Math.random() * 4) * 16_384;
      return { kind, method: 'GET', path: pick(data.assets), headers: { range: `bytes=${start}-${start + 65_535}` } };
    }
    case 'quote':
    case 'order': {
      const again = recent.length > 0 && Math.random() * 100 < RESEND_PERCENT ? pick(recent) : undefined;
      const write = again ?? newWrite(kind, runId, now);
      if (!again) {
        writes.set(`${write.kind}/${write.key}`, write);
        recent.push(write);
        if (recent.length > 50) recent.shift();
      }
      return {
        kind,
        method: 'POST',
        path: `/api/${write.kind}`,
        headers: { 'content-type': 'application/json', 'idempotency-key': write.key },
        body: write.body,
        write,
      };
    }
  }
}

function newWrite(kind: 'quote' | 'order', runId: string, now: number): TrackedWrite {
  const key = `${runId}-${randomUUID()}`;
  const contact = { name: 'Drill Shopper', email: 'drill@example.com' };
  const body =
    kind === 'order'
      ? { items: [{ sku: 'FUR-KNO-KNO-014', quantity: 1 + Math.floor(Math.random() * 3) }], contact, note: 'failover drill' }
      : { kind: 'quote', contact, sku: 'FUR-KNO-KNO-014', message: 'failover drill' };
  return { kind: kind === 'order' ? 'orders' : 'leads', key, body: JSON.stringify(body), sentAt: now, acked: false, answers: [] };
}

/**
 * Whether an answer is one a shopper can use. A failure is any network error or 5xx, any 4xx to a
 * request that is valid (409 "still in flight" excepted: the client retries), an API read or write
 * answer that is not a JSON object, a page that is not HTML, and at the edge any answer whose
 * `X-Vitrine-Source` is neither the origin nor a fallback.
 */
export function judge(
  target: TargetKind,
  kind: RequestKind,
  status: number,
  headers: Record<string, string>,
  body: string,
): string | undefined {
  if (status >= 500) return `${status}`;
  if (status === 409 && (kind === 'quote' || kind === 'order')) return undefined;
  if (status >= 400 || status < 200) return `${status}`;
  if (target === 'vitrine') {
    const source = headers['x-vitrine-source'];
    if (!source || !VITRINE_SOURCES.has(source)) return `unknown source ${JSON.stringify(source ?? null)}`;
  }
  if (kind === 'api' || kind === 'quote' || kind === 'order') {
    try {
      const value: unknown = JSON.parse(body);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'body is not a JSON object';
    } catch {
      return 'body is not JSON';
    }
  }
  if ((kind === 'page' || kind === 'product') && !(headers['content-type'] ?? '').includes('text/html')) return 'page is not HTML';
  return undefined;
}

/** `{ edgeMs }` from a Server-Timing header's `total` metric, or nothing. */
export function edgeTime(header: string | undefined): { edgeMs?: number } {
  const dur = header?.match(/(?:^|,)\s*total;(?:[^,]*;)?\s*dur=([\d.]+)/)?.[1];
  return dur === undefined ? {} : { edgeMs: Number(dur) };
}

/** Who answered, from the response headers. */
export function sourceOf(target: TargetKind, kind: RequestKind, headers: Record<string, string>): string {
  if (target === 'vitrine') return headers['x-vitrine-source'] ?? 'none';
  const cache = (headers['x-cache-status'] ?? '').toUpperCase();
  if (cache === 'STALE' || cache === 'UPDATING') return 'stale';
  if (cache === 'HIT') return 'cache';
  if (cache === '') return kind === 'page' || kind === 'product' ? 'static' : 'origin';
  return 'origin';
}

export interface LoadHandle {
  samples: Sample[];
  writes: Map<string, TrackedWrite>;
  /** Stops the load and resolves once autocannon has finished. */
  stop(): Promise<void>;
}

/**
 * Starts `connections` shoppers against `baseUrl` until {@link LoadHandle.stop} (or `maxSeconds`, or `maxRequests`).
 * `clock()` gives the drill's time in ms. Each request carries its own client address (`CF-Connecting-IP`,
 * which local workerd passes through), as many real shoppers would.
 */
export function startLoad(options: {
  baseUrl: string;
  target: TargetKind;
  data: ShopperData;
  connections: number;
  maxSeconds: number;
  maxRequests: number;
  runId: string;
  clock: () => number;
}): LoadHandle {
  const samples: Sample[] = [];
  const writes = new Map<string, TrackedWrite>();
  const recent: TrackedWrite[] = [];
  let last: Sample | undefined;
  let shopper = 0;
  type Context = { planned?: Planned };
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const instance = autocannon(
    {
      url: options.baseUrl,
      connections: options.connections,
      duration: options.maxSeconds,
      amount: options.maxRequests,
      timeout: 10,
      requests: [
        {
          setupRequest: (req, context: Context) => {
            // Every request from a different client address: many shoppers, each far below the per-client write limit.
            const n = ++shopper;
            const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
            const planned = planRequest(options.data, writes, recent, options.runId, options.clock());
            context.planned = planned;
            return {
              ...req,
              method: planned.method,
              path: planned.path,
              headers: { ...planned.headers, 'cf-connecting-ip': ip },
              ...(planned.body === undefined ? {} : { body: planned.body }),
            };
          },
          onResponse: (status, body, context: Context, headers) => {
            const planned = context.planned;
            const kind = planned?.kind ?? 'unknown';
            const lower = Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
            const failure = planned ? judge(options.target, planned.kind, status, lower, body) : undefined;
            if (planned?.write) {
              planned.write.answers.push(status);
              if (status >= 200 && status < 300 && !failure) planned.write.acked = true;
            }
            last = {
              t: options.clock(),
              kind,
              path: planned?.path ?? '',
              status,
              latencyMs: 0,
              bytes: 0,
              source: planned ? sourceOf(options.target, planned.kind, lower) : 'none',
              mode: lower['x-vitrine-mode'] ?? null,
              ...edgeTime(lower['server-timing']),
              ...(failure ? { failure } : {}),
            };
            samples.push(last);
          },
        },
      ],
    },
    () => finished(),
  );
  // autocannon emits 'response' right after onResponse, for the same request: fill in its latency and size.
  instance.on('response', (_client: unknown, _status: number, bytes: number, latencyMs: number) => {
    if (last) {
      last.latencyMs = latencyMs;
      last.bytes = bytes;
      last = undefined;
    }
  });
  instance.on('reqError', (err: Error) => {
    samples.push({
      t: options.clock(),
      kind: 'unknown',
      path: '',
      status: 0,
      latencyMs: 0,
      bytes: 0,
      source: 'none',
      mode: null,
      failure: `network: ${err.message || err.name}`,
    });
  });
  return {
    samples,
    writes,
    async stop() {
      instance.stop();
      await done;
    },
  };
}
