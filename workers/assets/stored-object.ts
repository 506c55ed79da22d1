/**
 * A published object, read whole: from the Cache API when this location has
 * it, else from R2. A content-hashed file (level GLB, poster) is verified
 * before its bytes are used or cached: its SHA-256 must equal both
 * `customMetadata.sha256` and the hash in its name; a mismatch throws
 * CorruptObject, so broken bytes never reach a shopper. Objects are held in
 * memory (published models are a few MB); anything over MAX_OBJECT_BYTES is refused.
 *
 * The cache key is a fixed internal URL made from the R2 key alone, never from
 * Host or any request header.
 */
import type { AssetRef } from './asset-paths.ts';
import { sha256Hex } from './asset-response.ts';

export const MAX_OBJECT_BYTES = 32 * 1024 * 1024;
const CACHE_ORIGIN = 'https://assets.vitrine.internal/';

export interface StoredObject {
  bytes: Uint8Array;
  /** Quoted strong ETag. */
  etag: string;
  modified: Date;
  contentType: string;
  cacheControl: string;
}

export class CorruptObject extends Error {
  override readonly name = 'CorruptObject';
}

export class ObjectTooLarge extends Error {
  override readonly name = 'ObjectTooLarge';
}

interface Background {
  waitUntil(promise: Promise<unknown>): void;
}

/** The object, or null when R2 has no such key. */
export async function readStored(
  bucket: R2Bucket,
  asset: AssetRef,
  ctx: Background,
  defaults: { contentType: string; cacheControl: string },
): Promise<StoredObject | null> {
  const cacheKey = new Request(`${CACHE_ORIGIN}${asset.key}`);
  const cache = await caches.open('vitrine-assets');
  const hit = await cache.match(cacheKey);
  if (hit) {
    return {
      bytes: new Uint8Array(await hit.arrayBuffer()),
      etag: hit.headers.get('etag') ?? '""',
      modified: new Date(hit.headers.get('last-modified') ?? 0),
      contentType: hit.headers.get('content-type') ?? defaults.contentType,
      cacheControl: hit.headers.get('cache-control') ?? defaults.cacheControl,
    };
  }
  const object = await bucket.get(asset.key);
  if (!object) return null;
  if (object.size > MAX_OBJECT_BYTES) {
    await object.body.cancel();
    throw new ObjectTooLarge(`${asset.key} is ${object.size} bytes, over the ${MAX_OBJECT_BYTES}-byte limit`);
  }
  const bytes = new Uint8Array(await object.arrayBuffer());
  const recorded = object.customMetadata?.sha256;
  if (asset.hash) {
    const actual = await sha256Hex(bytes);
    if (actual !== recorded || !actual.startsWith(asset.hash))
      throw new CorruptObject(
        `${asset.key}: SHA-256 ${actual.slice(0, 12)}… does not match its name or metadata (${recorded?.slice(0, 12) ?? 'none'}…)`,
      );
  }
  const stored: StoredObject = {
    bytes,
    etag: `"${recorded ?? (await sha256Hex(bytes))}"`,
    modified: object.uploaded,
    contentType: object.httpMetadata?.contentType ?? defaults.contentType,
    cacheControl: defaults.cacheControl,
  };
  const headers = {
    etag: stored.etag,
    'last-modified': stored.modified.toUTCString(),
    'content-type': stored.contentType,
    'cache-control': stored.cacheControl,
  };
  ctx.waitUntil(cache.put(cacheKey, new Response(bytes, { headers })).catch(() => undefined));
  return stored;
}
