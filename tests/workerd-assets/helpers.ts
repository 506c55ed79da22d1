/** Calling the asset worker under test, and seeding its R2, KV and the primary CDN stand-in's faults. */
import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { inject } from 'vitest';
import { resetPrimaryBreaker } from '../../workers/assets/primary-cdn.ts';
import { resetServedManifests } from '../../workers/assets/read-served-manifest.ts';
import { CACHE_NAME, cacheKeyOf, resetStoredObjects } from '../../workers/assets/stored-object.ts';
import { ASSET_POLICY_KEY, type AssetPolicy } from '../../workers/shared/assets/asset-policy.ts';
import type { PublishedFile } from './provided-context.ts';

export const HOST = 'https://assets.example.test';

/** A request to the asset worker through its real entry point. */
export function call(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${HOST}${path}`, init));
}

export function files(): PublishedFile[] {
  return inject('publishedFiles');
}

export function file(pattern: RegExp): PublishedFile {
  const found = files().find((f) => pattern.test(f.key));
  if (!found) throw new Error(`no published fixture file matches ${pattern}`);
  return found;
}

export function bytesOf(f: PublishedFile): Uint8Array {
  return Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
}

/** Puts a file into R2 as publish does (content type, cache control, sha256 metadata); `bytes` overrides its content. */
export async function put(f: PublishedFile, bytes: Uint8Array = bytesOf(f)): Promise<void> {
  await env.ASSETS_R2.put(f.key, bytes, {
    httpMetadata: { contentType: f.contentType, cacheControl: f.cacheControl },
    customMetadata: { sha256: f.sha256 },
  });
}

export async function publishAll(): Promise<void> {
  for (const f of files()) await put(f);
}

export async function setPolicy(policy: Partial<AssetPolicy>): Promise<void> {
  await env.CATALOG_KV.put(ASSET_POLICY_KEY, JSON.stringify({ primaryCdn: 'up', maxLod: null, viewer3d: true, ...policy }));
}

/** Breaks (or with `ok`, heals) the primary CDN stand-in: the example origin's `/cdn`. */
export async function cdnFault(spec: string): Promise<void> {
  const control = inject('cdnControlUrl');
  const res =
    spec === 'ok'
      ? await fetch(`${control}/faults`, { method: 'DELETE' })
      : await fetch(`${control}/faults`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ spec, path: '/cdn' }),
        });
  if (!res.ok) throw new Error(`cdn fault ${spec}: ${res.status} ${await res.text()}`);
}

/** Forgets the Cache API copies, so the next read goes to R2. */
export async function clearCache(): Promise<void> {
  const cache = await caches.open(CACHE_NAME);
  for (const f of files()) await cache.delete(cacheKeyOf(f.key));
}

/** Forgets what this isolate verified, the served manifests it keeps, and its primary-CDN breaker. */
export function resetAssetWorker(): void {
  resetStoredObjects();
  resetServedManifests();
  resetPrimaryBreaker();
}
