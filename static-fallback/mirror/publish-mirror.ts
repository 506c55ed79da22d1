/**
 * `npm run mirror -- publish <dir>`: a built mirror folder → KV pages and R2
 * files under a new version, then one pointer flip. Shoppers never see a
 * half-published mirror: until the flip every read uses the previous version,
 * and a location that sees the new pointer before its pages falls back to the
 * previous version (the showroom's reader walks the pointer's versions).
 * An unchanged site (same siteHash as the current version) writes nothing.
 *
 * @example
 * await publishMirror(store, 'dist/mirror', { keepVersions: 3 });
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  MIRROR_POINTER_KEY,
  type MirrorPointer,
  type MirrorVersionRef,
  mirrorKeys,
  PAGES_PER_CHUNK,
} from '../../workers/shared/mirror/mirror-layout.ts';
import { MirrorPacker } from '../../workers/shared/mirror/mirror-packer.ts';
import type { KvPort, R2Port } from '../../workers/shared/snapshot/storage-ports.ts';
import { EDGE_PAGES_FILE, type ManifestEntry, manifestEntries, readManifestHead } from './mirror-manifest.ts';
import { contentTypeFor } from './site-paths.ts';

export interface MirrorStore {
  /** Waits until every earlier write is durable (remote stores buffer KV writes). */
  barrier?: () => Promise<void>;
  kv: KvPort;
  r2: R2Port;
}

export interface PublishMirrorOptions {
  keepVersions: number;
  /** KV and R2 writes in flight at once. */
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
}

/** Files at least this large are uploaded one at a time. */
export const LARGE_FILE_BYTES = 1024 * 1024;

export const PUBLISH_MIRROR_DEFAULTS: PublishMirrorOptions = { keepVersions: 3, concurrency: 32 };

export interface PublishMirrorResult {
  version: string;
  published: boolean;
  pages: number;
  uploaded: number;
  reused: number;
  removedVersions: string[];
}

export async function readMirrorPointer(kv: KvPort): Promise<MirrorPointer> {
  const value = (await kv.get(MIRROR_POINTER_KEY, 'json')) as MirrorPointer | null;
  return value && Array.isArray(value.versions) ? value : { versions: [] };
}

export async function publishMirror(
  store: MirrorStore,
  dir: string,
  options: Partial<PublishMirrorOptions> = {},
): Promise<PublishMirrorResult> {
  const opts = { ...PUBLISH_MIRROR_DEFAULTS, ...options };
  const manifest = await readManifestHead(dir);
  const pointer = await readMirrorPointer(store.kv);
  const current = pointer.versions[0];
  if (current?.siteHash === manifest.siteHash) {
    return { version: current.version, published: false, pages: 0, uploaded: 0, reused: 0, removedVersions: [] };
  }
  const publishedAt = (opts.now ?? (() => new Date()))().toISOString();
  const version = `m${publishedAt.replace(/[-:]|\.\d+/g, '').toLowerCase()}-${manifest.siteHash.slice(0, 12)}`;
  // The manifest streams by: files are kept (they are uploaded first), edge pages only by site path.
  const files: ManifestEntry[] = [];
  const expected = new Set<string>();
  for await (const entry of manifestEntries(dir)) {
    if (entry.role === 'file') files.push(entry);
    else if (entry.role === 'edge-page') expected.add(entry.sitePath);
  }
  const pages = expected.size;
  const packer = new MirrorPacker(version, pages + files.length);
  const total = files.length + Math.ceil(pages / PAGES_PER_CHUNK) + packer.indexBuckets + 1;
  let done = 0;
  let uploaded = 0;
  const tick = () => opts.onProgress?.(++done, total);
  const put = ([key, value]: [string, string]) => store.kv.put(key, value).then(tick);

  // Files first (content-addressed, so an upload never disturbs a live version);
  // large ones one at a time, so a few 25 MB uploads in flight never stack up in memory.
  const upload = async (f: ManifestEntry) => {
    const key = mirrorKeys.blob(f.sha256);
    if (!(await store.r2.head(key))) {
      await store.r2.put(key, await readFile(join(dir, f.path)), { httpMetadata: { contentType: contentTypeFor(f.path) } });
      uploaded++;
    }
    packer.addFile(f.sitePath, { sha256: f.sha256, type: contentTypeFor(f.path), bytes: f.bytes });
    tick();
  };
  await inBatches(
    files.filter((f) => f.bytes < LARGE_FILE_BYTES),
    opts.concurrency,
    upload,
  );
  await inBatches(
    files.filter((f) => f.bytes >= LARGE_FILE_BYTES),
    1,
    upload,
  );
  // Then the pages, packed into chunks as they stream from the NDJSON file, then the index.
  const edgeFile = join(dir, EDGE_PAGES_FILE);
  let batch: Promise<unknown>[] = [];
  for await (const line of createInterface({ input: createReadStream(edgeFile), crlfDelay: Number.POSITIVE_INFINITY })) {
    if (!line) continue;
    const { sitePath, html } = JSON.parse(line) as { sitePath: string; html: string };
    if (!expected.delete(sitePath)) throw new Error(`${edgeFile}: page ${sitePath} is not in the manifest; rebuild the folder`);
    for (const write of packer.addPage(sitePath, html)) {
      const pending = put(write);
      pending.catch(() => undefined); // awaited below with its batch; never an unhandled rejection meanwhile
      batch.push(pending);
    }
    if (batch.length >= opts.concurrency) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  if (expected.size) throw new Error(`${edgeFile}: ${expected.size} page(s) of the manifest are missing; rebuild the folder`);
  await inBatches(packer.finish(), opts.concurrency, put);

  // Every write succeeded: flip the pointer.
  await store.barrier?.();
  const ref: MirrorVersionRef = {
    version,
    publishedAt,
    indexBuckets: packer.indexBuckets,
    siteHash: manifest.siteHash,
    products: manifest.products,
  };
  const kept = [ref, ...pointer.versions].slice(0, Math.max(1, opts.keepVersions));
  await store.kv.put(MIRROR_POINTER_KEY, JSON.stringify({ versions: kept } satisfies MirrorPointer));
  await store.barrier?.();
  tick();
  const removed = [...pointer.versions.slice(Math.max(0, opts.keepVersions - 1)).map((v) => v.version), ...(pointer.retired ?? [])];
  for (const old of removed) await deleteMirrorVersion(store.kv, old);
  return { version, published: true, pages, uploaded, reused: files.length - uploaded, removedVersions: removed };
}

/**
 * Flips the pointer back to the previous version. The current one leaves the
 * pointer (so no read falls back to it) and its keys go with the next publish.
 */
export async function rollbackMirror(kv: KvPort): Promise<{ from: string; to: string }> {
  const pointer = await readMirrorPointer(kv);
  const [from, to] = pointer.versions;
  if (!from || !to) throw new Error('nothing to roll back to: the mirror pointer holds fewer than two versions');
  const next: MirrorPointer = { versions: pointer.versions.slice(1), retired: [...(pointer.retired ?? []), from.version] };
  await kv.put(MIRROR_POINTER_KEY, JSON.stringify(next));
  return { from: from.version, to: to.version };
}

async function deleteMirrorVersion(kv: KvPort, version: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: mirrorKeys.prefix(version), cursor });
    await Promise.all(page.keys.map((k) => kv.delete(k.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}
