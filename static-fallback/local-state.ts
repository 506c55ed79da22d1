/**
 * The local workerd state `npm start` (wrangler dev) uses, opened from Node:
 * the same KV namespace and R2 bucket, so build tools publish into the local
 * stack exactly as into production.
 *
 * Opened with Miniflare directly, the way wrangler's own `kv key put --local`
 * and `r2 object put --local` do (same `v3` persistence root, same namespace id
 * and bucket name from wrangler.toml, read by cli/wrangler-storage.ts). wrangler's getPlatformProxy would work
 * too, but importing wrangler alone costs about 290 MB of RSS; Miniflare about 130.
 */
import { fileURLToPath } from 'node:url';
import type { KvPort, R2Port } from '../workers/shared/snapshot/storage-ports.ts';
import { storageNames, WRANGLER_CONFIG } from './cli/wrangler-storage.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Passed to `wrangler dev --persist-to`; wrangler keeps its data under `<dir>/v3`. */
export const LOCAL_STATE_DIR = `${PROJECT_ROOT}.vitrine/state`;

export interface LocalBindings {
  kv: KvPort;
  r2: R2Port;
  dispose(): Promise<void>;
}

export async function openLocalBindings(stateDir = process.env.VITRINE_STATE_DIR ?? LOCAL_STATE_DIR): Promise<LocalBindings> {
  const { kvNamespaceId, r2BucketName } = storageNames();
  if (!kvNamespaceId || !r2BucketName)
    throw new Error(`${WRANGLER_CONFIG}: needs a CATALOG_KV kv_namespaces id and an ASSETS_R2 r2_buckets bucket_name`);
  // Loaded here, not at import: builds that never publish should not pay for it.
  const { Miniflare, convertV4MiniflareOptions } = await import('miniflare');
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      script: 'addEventListener("fetch", (e) => e.respondWith(new Response(null, { status: 404 })))',
      resourcePersistencePath: `${stateDir}/v3`,
      kvNamespaces: { CATALOG_KV: kvNamespaceId },
      r2Buckets: { ASSETS_R2: r2BucketName },
    }),
  );
  const [kv, r2] = await Promise.all([mf.getKVNamespace('CATALOG_KV'), mf.getR2Bucket('ASSETS_R2')]);
  return { kv, r2, dispose: () => mf.dispose() };
}
