/**
 * The local workerd state `npm start` (wrangler dev) uses, opened from Node
 * with wrangler's platform proxy: the same KV, R2 and Durable Object storage,
 * so build tools can publish into the local stack exactly as into production.
 */
import { fileURLToPath } from 'node:url';
import type { KvPort, R2Port } from '../workers/shared/snapshot/storage-ports.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Passed to `wrangler dev --persist-to`; wrangler keeps its data under `<dir>/v3`. */
export const LOCAL_STATE_DIR = `${PROJECT_ROOT}.vitrine/state`;

export interface LocalBindings {
  kv: KvPort;
  r2: R2Port;
  dispose(): Promise<void>;
}

export async function openLocalBindings(stateDir = process.env.VITRINE_STATE_DIR ?? LOCAL_STATE_DIR): Promise<LocalBindings> {
  process.env.WRANGLER_LOG ??= 'error';
  process.env.WRANGLER_SEND_METRICS ??= 'false';
  // Loaded here, not at import: wrangler is large, and builds that never publish should not pay for it.
  const { getPlatformProxy } = await import('wrangler');
  const proxy = await getPlatformProxy<{ CATALOG_KV: KvPort; ASSETS_R2: R2Port }>({
    configPath: `${PROJECT_ROOT}wrangler.toml`,
    persist: { path: `${stateDir}/v3` },
  });
  return { kv: proxy.env.CATALOG_KV, r2: proxy.env.ASSETS_R2, dispose: () => proxy.dispose() };
}
