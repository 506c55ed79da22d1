/**
 * Reads the published static mirror (see shared/mirror/mirror-layout.ts):
 * pages from their KV chunk, other files (PDFs, CSVs, scripts, sitemap) from
 * R2, walking the pointer's versions newest first (a location may see a new
 * pointer before its keys). Index buckets and chunks never change under a
 * version, so the isolate keeps the recent ones.
 */
import {
  MIRROR_POINTER_KEY,
  type MirrorFileRef,
  type MirrorPointer,
  type MirrorVersionRef,
  mirrorKeys,
  type PageSlot,
} from '../shared/mirror/mirror-layout.ts';
import { bucketOf } from '../shared/snapshot/snapshot-layout.ts';

export const MIRROR_POINTER_TTL_MS = 5_000;
export const MIRROR_CACHE_ENTRIES = 48;

let pointer: { value: MirrorPointer | null; at: number } | undefined;
const cache = new Map<string, unknown>();

async function cachedGet<T>(kv: KVNamespace, key: string, type: 'json' | 'text'): Promise<T | null> {
  if (cache.has(key)) return cache.get(key) as T;
  const value = (type === 'json' ? await kv.get(key, 'json') : await kv.get(key, 'text')) as T | null;
  if (value !== null) {
    if (cache.size >= MIRROR_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(key, value);
  }
  return value;
}

async function versions(kv: KVNamespace, now: number): Promise<MirrorVersionRef[]> {
  if (!pointer || now - pointer.at > MIRROR_POINTER_TTL_MS) {
    pointer = { value: await kv.get<MirrorPointer>(MIRROR_POINTER_KEY, 'json'), at: now };
  }
  return pointer.value?.versions ?? [];
}

async function entry(kv: KVNamespace, v: MirrorVersionRef, path: string): Promise<PageSlot | MirrorFileRef | null> {
  const index = await cachedGet<Record<string, PageSlot | MirrorFileRef>>(
    kv,
    mirrorKeys.index(v.version, bucketOf(path, v.indexBuckets)),
    'json',
  );
  return index?.[path] ?? null;
}

/** A pre-rendered page, or `null` when no published version has it. */
export async function mirrorPage(kv: KVNamespace, pagePath: string, now = Date.now()): Promise<{ html: string; version: string } | null> {
  for (const v of await versions(kv, now)) {
    const slot = await entry(kv, v, pagePath);
    if (!Array.isArray(slot)) continue;
    const chunk = await cachedGet<string>(kv, mirrorKeys.chunk(v.version, slot[0]), 'text');
    if (chunk !== null) return { html: chunk.slice(slot[1], slot[1] + slot[2]), version: v.version };
  }
  return null;
}

/** A published file's body and type from R2, or `null`. */
export async function mirrorFile(
  kv: KVNamespace,
  r2: R2Bucket,
  sitePath: string,
  now = Date.now(),
): Promise<{ body: ReadableStream; ref: MirrorFileRef; version: string } | null> {
  for (const v of await versions(kv, now)) {
    const ref = await entry(kv, v, sitePath);
    if (!ref || Array.isArray(ref)) continue;
    const object = await r2.get(mirrorKeys.blob(ref.sha256));
    if (object) return { body: object.body, ref, version: v.version };
  }
  return null;
}

export function resetMirrorPages(): void {
  pointer = undefined;
  cache.clear();
}
