/**
 * Reads the published snapshot from KV, version by version.
 *
 * KV is eventually consistent and unordered across keys: a location may see a
 * new pointer before the keys it names. So every read walks the pointer's
 * versions newest first and takes the first version whose key is present;
 * a key that is present but lacks the product is a real "not found".
 * Keys under a version never change, so they are cached in the isolate.
 *
 * @example
 * const reader = new SnapshotReader(env.CATALOG_KV);
 * const hit = await reader.product('BEA-ESS-ESS-001'); // { value, version } | null
 */
import type { Product, ProductSummary } from '../catalog/product-schema.ts';
import { readPointer } from './read-pointer.ts';
import { bucketOf, LIST_CHUNK, type SnapshotMeta, type SnapshotPointer, type SnapshotVersionRef, snapshotKeys } from './snapshot-layout.ts';
import type { KvPort } from './storage-ports.ts';

export interface SnapshotReaderOptions {
  /** How long an isolate trusts the pointer it read. */
  pointerTtlMs: number;
  /** Immutable per-version values kept in the isolate. */
  maxCachedValues: number;
}

export const SNAPSHOT_READER_DEFAULTS: SnapshotReaderOptions = { pointerTtlMs: 5_000, maxCachedValues: 256 };

export interface SnapshotHit<T> {
  value: T;
  version: SnapshotVersionRef;
}

export interface ProductPage {
  items: ProductSummary[];
  total: number;
}

export class SnapshotReader {
  readonly #kv: KvPort;
  readonly #options: SnapshotReaderOptions;
  #pointer: { value: SnapshotPointer | null; readAt: number } | undefined;
  readonly #cache = new Map<string, unknown>();

  constructor(kv: KvPort, options: Partial<SnapshotReaderOptions> = {}) {
    this.#kv = kv;
    this.#options = { ...SNAPSHOT_READER_DEFAULTS, ...options };
  }

  async pointer(now = Date.now()): Promise<SnapshotPointer | null> {
    if (!this.#pointer || now - this.#pointer.readAt > this.#options.pointerTtlMs) {
      this.#pointer = { value: await readPointer(this.#kv), readAt: now };
    }
    return this.#pointer.value;
  }

  /** Forgets the cached pointer, e.g. right after this isolate published. */
  invalidate(): void {
    this.#pointer = undefined;
  }

  async meta(): Promise<SnapshotHit<SnapshotMeta> | null> {
    return this.#firstVersion(
      (v) => snapshotKeys.meta(v.version),
      (meta: SnapshotMeta) => meta,
    );
  }

  async product(sku: string): Promise<SnapshotHit<Product | null> | null> {
    return this.#firstVersion(
      (v) => snapshotKeys.sku(v.version, bucketOf(sku, v.buckets)),
      (bucket: Record<string, Product>) => bucket[sku] ?? null,
    );
  }

  async productBySlug(slug: string): Promise<SnapshotHit<Product | null> | null> {
    const hit = await this.#firstVersion(
      (v) => snapshotKeys.slug(v.version, bucketOf(slug, v.buckets)),
      (bucket: Record<string, string>) => bucket[slug] ?? null,
    );
    if (!hit?.value) return hit ? { value: null, version: hit.version } : null;
    const bucket = await this.#get<Record<string, Product>>(
      snapshotKeys.sku(hit.version.version, bucketOf(hit.value, hit.version.buckets)),
    );
    return { value: bucket?.[hit.value] ?? null, version: hit.version };
  }

  /**
   * A page of summaries, in catalog order, optionally one category and a text query.
   * Without a query only the chunks covering the page are read.
   */
  async list(query: { page: number; pageSize: number; category?: string; q?: string }): Promise<SnapshotHit<ProductPage> | null> {
    const metaHit = await this.meta();
    if (!metaHit) return null;
    const { value: meta } = metaHit;
    const v = meta.version;
    const category = query.category ? meta.categories.find((c) => c.slug === query.category) : undefined;
    if (query.category && !category) return { value: { items: [], total: 0 }, version: metaHit.version };
    const chunkKey = (n: number) => (category ? snapshotKeys.category(v, category.slug, n) : snapshotKeys.list(v, n));
    const chunkCount = category ? category.chunks : meta.listChunks;
    const start = (query.page - 1) * query.pageSize;

    if (!query.q) {
      const total = category ? category.count : meta.productCount;
      const first = Math.floor(start / LIST_CHUNK);
      const last = Math.min(chunkCount - 1, Math.floor((start + query.pageSize - 1) / LIST_CHUNK));
      const items: ProductSummary[] = [];
      for (let n = first; n <= last; n++) items.push(...((await this.#get<ProductSummary[]>(chunkKey(n))) ?? []));
      const offset = start - first * LIST_CHUNK;
      return { value: { items: items.slice(offset, offset + query.pageSize), total }, version: metaHit.version };
    }
    const needle = query.q.toLowerCase();
    const matches: ProductSummary[] = [];
    for (let n = 0; n < chunkCount; n++) {
      for (const s of (await this.#get<ProductSummary[]>(chunkKey(n))) ?? []) {
        if (`${s.title} ${s.brand ?? ''} ${s.categoryName}`.toLowerCase().includes(needle)) matches.push(s);
      }
    }
    return { value: { items: matches.slice(start, start + query.pageSize), total: matches.length }, version: metaHit.version };
  }

  async #firstVersion<R, T>(key: (v: SnapshotVersionRef) => string, pick: (raw: R) => T): Promise<SnapshotHit<T> | null> {
    const pointer = await this.pointer();
    for (const version of pointer?.versions ?? []) {
      const raw = await this.#get<R>(key(version));
      if (raw !== null) return { value: pick(raw), version };
    }
    return null;
  }

  async #get<T>(key: string): Promise<T | null> {
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const value = (await this.#kv.get(key, 'json')) as T | null;
    if (value !== null) {
      if (this.#cache.size >= this.#options.maxCachedValues) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(key, value);
    }
    return value;
  }
}
