/**
 * Publishes a validated PIM snapshot: every key of the new version first, the
 * whole document to R2, and only then the pointer flip. A publish that fails
 * half-way leaves the pointer (and so every shopper) on the previous version.
 *
 * @example
 * const result = await publishSnapshot({ kv: env.CATALOG_KV, r2: env.ASSETS_R2 }, snapshot, { keepVersions: 3 });
 */
import { type Product, type ProductSummary, type Snapshot, SnapshotSchema, toSummary } from '../catalog/product-schema.ts';
import { readPointer } from './read-pointer.ts';
import {
  bucketCountFor,
  bucketOf,
  type CategoryInfo,
  LIST_CHUNK,
  POINTER_KEY,
  type SnapshotMeta,
  type SnapshotPointer,
  snapshotKeys,
  versionName,
} from './snapshot-layout.ts';
import type { KvPort, R2Port } from './storage-ports.ts';

export const PUBLISH_SNAPSHOT = 'publish-snapshot';

export interface PublishSnapshotOptions {
  /** Versions kept (current included); older ones are deleted after the flip. */
  keepVersions: number;
  /** Called after each KV/R2 write, for progress bars. */
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
}

export const PUBLISH_SNAPSHOT_DEFAULTS: PublishSnapshotOptions = { keepVersions: 3 };

export interface PublishResult {
  version: string;
  /** false when the current version already holds identical content (nothing written). */
  published: boolean;
  writes: number;
  removedVersions: string[];
}

export async function publishSnapshot(
  store: { kv: KvPort; r2: R2Port },
  input: unknown,
  options: Partial<PublishSnapshotOptions> = {},
): Promise<PublishResult> {
  const opts = { ...PUBLISH_SNAPSHOT_DEFAULTS, ...options };
  // Validate first: a schema-invalid export never replaces a valid snapshot.
  const snapshot = SnapshotSchema.parse(input);
  const document = JSON.stringify(snapshot);
  const contentHash = await sha256Hex(document);
  const version = versionName(snapshot.generatedAt, contentHash);
  const pointer = await readPointer(store.kv);
  if (pointer?.versions[0]?.contentHash === contentHash) {
    return { version: pointer.versions[0].version, published: false, writes: 0, removedVersions: [] };
  }

  const meta = buildMeta(snapshot, version, contentHash, (opts.now ?? (() => new Date()))().toISOString());
  const writes = layoutWrites(snapshot.products, meta);
  const total = writes.length + 2;
  let done = 0;
  const tick = () => opts.onProgress?.(++done, total);
  for (let i = 0; i < writes.length; i += 16) {
    await Promise.all(writes.slice(i, i + 16).map(([key, value]) => store.kv.put(key, JSON.stringify(value)).then(tick)));
  }
  await store.r2.put(snapshotKeys.document(version), document, { httpMetadata: { contentType: 'application/json' } });
  tick();

  const { source: _source, categories: _categories, ...ref } = meta;
  const previous = (pointer?.versions ?? []).filter((v) => v.version !== version);
  const next: SnapshotPointer = { versions: [ref, ...previous].slice(0, Math.max(1, opts.keepVersions)) };
  await store.kv.put(POINTER_KEY, JSON.stringify(next));
  tick();

  const removed = previous.slice(Math.max(0, opts.keepVersions - 1)).map((v) => v.version);
  for (const old of removed) await deleteVersion(store, old);
  return { version, published: true, writes: done, removedVersions: removed };
}

function buildMeta(snapshot: Snapshot, version: string, contentHash: string, publishedAt: string): SnapshotMeta {
  const counts = new Map<string, CategoryInfo>();
  for (const p of snapshot.products) {
    const info = counts.get(p.category) ?? { slug: p.category, name: p.categoryName, count: 0, chunks: 0 };
    info.count++;
    info.chunks = Math.ceil(info.count / LIST_CHUNK);
    counts.set(p.category, info);
  }
  return {
    version,
    contentHash,
    generatedAt: snapshot.generatedAt,
    publishedAt,
    source: snapshot.source,
    productCount: snapshot.products.length,
    buckets: bucketCountFor(snapshot.products.length),
    listChunks: Math.ceil(snapshot.products.length / LIST_CHUNK),
    categories: [...counts.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function layoutWrites(products: Product[], meta: SnapshotMeta): [string, unknown][] {
  const v = meta.version;
  const skuBuckets = new Map<number, Record<string, Product>>();
  const slugBuckets = new Map<number, Record<string, string>>();
  const byCategory = new Map<string, ProductSummary[]>();
  const all: ProductSummary[] = [];
  for (const p of products) {
    getOrCreate(skuBuckets, bucketOf(p.sku, meta.buckets), (): Record<string, Product> => ({}))[p.sku] = p;
    getOrCreate(slugBuckets, bucketOf(p.slug, meta.buckets), (): Record<string, string> => ({}))[p.slug] = p.sku;
    const summary = toSummary(p);
    all.push(summary);
    getOrCreate(byCategory, p.category, () => []).push(summary);
  }
  const writes: [string, unknown][] = [];
  // Every bucket is written, empty or not, so a missing key always means "not published here yet".
  for (let b = 0; b < meta.buckets; b++) {
    writes.push([snapshotKeys.sku(v, b), skuBuckets.get(b) ?? {}], [snapshotKeys.slug(v, b), slugBuckets.get(b) ?? {}]);
  }
  for (const [n, chunk] of chunks(all)) writes.push([snapshotKeys.list(v, n), chunk]);
  for (const [category, items] of byCategory) {
    for (const [n, chunk] of chunks(items)) writes.push([snapshotKeys.category(v, category, n), chunk]);
  }
  writes.push([snapshotKeys.meta(v), meta]);
  return writes;
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  const existing = map.get(key);
  if (existing !== undefined) return existing;
  const value = create();
  map.set(key, value);
  return value;
}

function* chunks<T>(items: T[]): Generator<[number, T[]]> {
  for (let i = 0; i * LIST_CHUNK < items.length; i++) yield [i, items.slice(i * LIST_CHUNK, (i + 1) * LIST_CHUNK)];
}

async function deleteVersion(store: { kv: KvPort; r2: R2Port }, version: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await store.kv.list({ prefix: snapshotKeys.prefix(version), cursor });
    await Promise.all(page.keys.map((k) => store.kv.delete(k.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  await store.r2.delete(snapshotKeys.document(version));
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
