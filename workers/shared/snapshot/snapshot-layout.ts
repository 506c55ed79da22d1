/**
 * Where a PIM snapshot lives in KV and R2. One pointer key names the versions
 * (newest first); every other key is immutable once written under its version.
 *
 * KV (`CATALOG_KV`):
 *   snapshot:pointer                       SnapshotPointer
 *   snapshot:v:<version>:meta              SnapshotMeta
 *   snapshot:v:<version>:sku:<bucket>      Record<sku, Product>       bucket = fnv1a(sku) % buckets
 *   snapshot:v:<version>:slug:<bucket>     Record<slug, sku>          bucket = fnv1a(slug) % buckets
 *   snapshot:v:<version>:list:<n>          ProductSummary[]           all products, catalog order, LIST_CHUNK per key
 *   snapshot:v:<version>:cat:<slug>:<n>    ProductSummary[]           one category, catalog order
 * R2 (`ASSETS_R2`):
 *   snapshots/<version>.json               the whole Snapshot document
 *
 * Buckets keep a product lookup to one KV read at any catalog size while the
 * number of KV writes per publish stays near products / PRODUCTS_PER_BUCKET.
 */
export const POINTER_KEY = 'snapshot:pointer';
export const PRODUCTS_PER_BUCKET = 64;
export const LIST_CHUNK = 200;
export const VERSION_RE = /^v\d{8}t\d{6}z-[0-9a-f]{12}$/;

export interface SnapshotVersionRef {
  version: string;
  generatedAt: string;
  publishedAt: string;
  productCount: number;
  buckets: number;
  listChunks: number;
  contentHash: string;
}

export interface SnapshotPointer {
  /** Newest first; `versions[0]` is current. */
  versions: SnapshotVersionRef[];
}

export interface CategoryInfo {
  slug: string;
  name: string;
  count: number;
  chunks: number;
}

export interface SnapshotMeta extends SnapshotVersionRef {
  source: string;
  categories: CategoryInfo[];
}

const prefix = (version: string) => `snapshot:v:${version}:`;

export const snapshotKeys = {
  prefix,
  meta: (v: string) => `${prefix(v)}meta`,
  sku: (v: string, bucket: number) => `${prefix(v)}sku:${bucket}`,
  slug: (v: string, bucket: number) => `${prefix(v)}slug:${bucket}`,
  list: (v: string, chunk: number) => `${prefix(v)}list:${chunk}`,
  category: (v: string, category: string, chunk: number) => `${prefix(v)}cat:${category}:${chunk}`,
  document: (v: string) => `snapshots/${v}.json`,
};

/** 32-bit FNV-1a: stable across runtimes, enough to spread keys over buckets. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function bucketOf(key: string, buckets: number): number {
  return fnv1a(key) % buckets;
}

export function bucketCountFor(products: number): number {
  return Math.max(1, Math.ceil(products / PRODUCTS_PER_BUCKET));
}

/** `v20261122t062500z-<12 hex of the content hash>`: sortable, and equal content is recognisable. */
export function versionName(generatedAt: string, contentHash: string): string {
  const stamp = new Date(generatedAt)
    .toISOString()
    .replace(/[-:]|\.\d+/g, '')
    .toLowerCase();
  return `v${stamp}-${contentHash.slice(0, 12)}`;
}
