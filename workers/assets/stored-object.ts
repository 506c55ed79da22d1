/**
 * A published object as the worker reads it: the Cache API in front of R2.
 *
 * Integrity (a corrupt level is never sent): the first time an isolate reads an
 * object from R2 it holds it whole and checks its SHA-256 against
 * `customMetadata.sha256` (required for levels and posters, whose digest must
 * also start with the 12-hex hash in their name) before a byte is sent or
 * cached; a mismatch throws CorruptObject. Only verified bytes enter the cache,
 * so a cache hit is trusted. A content-named (immutable) object, once verified
 * or found in the cache, is remembered by this isolate with its size, ETag and
 * date: later requests, ranges above all, read only the span they need (a
 * ranged cache match, else a ranged R2 read) and hash nothing.
 *
 * Verification holds the object in memory, so it is capped at VERIFY_MAX_BYTES
 * (32 MiB, a quarter of an isolate's memory; published levels are a few MB). A
 * bigger object is served unverified, span by span from R2, never cached, and
 * each such read is logged. R2 is only ever asked for spans inside the object
 * (it throws on others): 416 is decided before, from the size.
 *
 * The cache key is a fixed internal URL made from the validated R2 key alone,
 * never from Host or any other request header.
 *
 * @example
 * const object = await openStored(env.ASSETS_R2, asset, ctx);
 * const head = await object?.read({ offset: 0, length: 1024 }); // first KiB, verified
 */

import { logEvent } from '../shared/observability/log-event.ts';
import type { AssetRef } from './asset-paths.ts';
import { servingOf } from './asset-serving.ts';
import { type ByteSpan, contentRange, type Representation } from './http-conditions.ts';

export const VERIFY_MAX_BYTES = 32 * 1024 * 1024;
/** Content-named objects an isolate remembers as verified (forgotten all at once past this many). */
export const MAX_REMEMBERED = 4096;
export const CACHE_NAME = 'vitrine-assets';
const CACHE_ORIGIN = 'https://assets.vitrine.internal/';

/** An object's validators and size, and a way to read all or part of its bytes. */
export interface StoredObject extends Representation {
  contentType: string;
  /** The bytes of `span` (all of them without one); null when the object has gone meanwhile. */
  read(span?: ByteSpan): Promise<Uint8Array | ReadableStream | null>;
}

export class CorruptObject extends Error {
  override readonly name = 'CorruptObject';
}

/** What an object is, without its bytes. */
export type StoredMeta = Omit<StoredObject, 'read'>;
type Background = Pick<ExecutionContext, 'waitUntil'>;

const remembered = new Map<string, StoredMeta>();

/** The Cache API key of an R2 key. */
export function cacheKeyOf(key: string): string {
  return `${CACHE_ORIGIN}${key}`;
}

/** The object, or null when R2 has no such key. @throws CorruptObject when its bytes fail verification. */
export async function openStored(bucket: R2Bucket, asset: AssetRef, ctx: Background): Promise<StoredObject | null> {
  const serving = servingOf(asset);
  const known = remembered.get(asset.key);
  if (known) return rememberedObject(bucket, asset.key, known, serving.cacheControl, ctx);

  const cache = await caches.open(CACHE_NAME);
  const hit = await cache.match(cacheKeyOf(asset.key));
  if (hit) {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    const meta: StoredMeta = {
      size: bytes.byteLength,
      etag: hit.headers.get('etag') ?? '""',
      modified: new Date(hit.headers.get('last-modified') ?? 0),
      contentType: hit.headers.get('content-type') ?? serving.contentType,
    };
    if (serving.immutable) remember(asset.key, meta);
    return storedBytes(meta, bytes);
  }

  const object = await bucket.get(asset.key);
  if (!object) return null;
  const recorded = object.customMetadata?.sha256;
  const meta: StoredMeta = {
    size: object.size,
    etag: recorded ? `"${recorded}"` : object.httpEtag,
    modified: object.uploaded,
    contentType: object.httpMetadata?.contentType ?? serving.contentType,
  };
  if (object.size > VERIFY_MAX_BYTES) {
    await object.body.cancel();
    logEvent({ event: 'asset-unverified', key: asset.key, bytes: object.size, limit: VERIFY_MAX_BYTES });
    return { ...meta, read: async (span) => (await bucket.get(asset.key, span ? { range: span } : {}))?.body ?? null };
  }
  const bytes = new Uint8Array(await object.arrayBuffer());
  const actual = await sha256Hex(bytes);
  const nameHolds = asset.hash === undefined || actual.startsWith(asset.hash);
  const metadataHolds = recorded === undefined ? asset.hash === undefined : recorded === actual;
  if (!nameHolds || !metadataHolds)
    throw new CorruptObject(
      `${asset.key}: SHA-256 ${actual.slice(0, 12)}… matches neither its name nor its metadata (${recorded ?? 'none'})`,
    );
  meta.etag = `"${actual}"`;
  if (serving.immutable) remember(asset.key, meta);
  ctx.waitUntil(putInCache(cache, asset.key, meta, serving.cacheControl, bytes));
  return storedBytes(meta, bytes);
}

/** Test hook: forget what this isolate verified. */
export function resetStoredObjects(): void {
  remembered.clear();
}

/** Hex SHA-256 of bytes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** An object held in memory, as served (a manifest after filtering, a verified file). */
export function storedBytes(meta: StoredMeta, bytes: Uint8Array): StoredObject {
  return { ...meta, read: async (span) => (span ? bytes.subarray(span.offset, span.offset + span.length) : bytes) };
}

/** A verified, content-named object: spans from the cache when it has them, else from R2. */
function rememberedObject(bucket: R2Bucket, key: string, meta: StoredMeta, cacheControl: string, ctx: Background): StoredObject {
  return {
    ...meta,
    async read(span) {
      const cache = await caches.open(CACHE_NAME);
      const init = span ? { headers: { range: `bytes=${span.offset}-${span.offset + span.length - 1}` } } : {};
      const hit = await cache.match(new Request(cacheKeyOf(key), init));
      // Only an exact answer will do: a cache that ignored the Range would send the whole file as the span.
      const exact = span ? hit?.status === 206 && hit.headers.get('content-range') === contentRange(span, meta.size) : hit?.status === 200;
      if (hit?.body && exact) return hit.body;
      await hit?.body?.cancel();
      const object = await bucket.get(key, span ? { range: span } : {});
      if (!object) {
        remembered.delete(key);
        return null;
      }
      if (span) return object.body;
      const bytes = new Uint8Array(await object.arrayBuffer());
      ctx.waitUntil(putInCache(cache, key, meta, cacheControl, bytes));
      return bytes;
    },
  };
}

function remember(key: string, meta: StoredMeta): void {
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(key, meta);
}

async function putInCache(cache: Cache, key: string, meta: StoredMeta, cacheControl: string, bytes: Uint8Array): Promise<void> {
  const headers = {
    etag: meta.etag,
    'last-modified': meta.modified.toUTCString(),
    'content-type': meta.contentType,
    'cache-control': cacheControl,
  };
  // A failed cache write costs a later R2 read, nothing more.
  await cache.put(cacheKeyOf(key), new Response(bytes, { headers })).catch(() => undefined);
}
