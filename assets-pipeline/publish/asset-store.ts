/**
 * The slice of R2 that publishing models needs, and the two places it
 * publishes to: the local workerd state `npm start` serves from, or a
 * deployed environment's bucket through wrangler.
 */
import { WranglerRemoteStore } from '../../static-fallback/cli/wrangler-remote-store.ts';
import { openLocalBindings } from '../../static-fallback/local-state.ts';
import type { R2Port } from '../../workers/shared/snapshot/storage-ports.ts';
import { assetsBucketFor } from './wrangler-bucket.ts';

/** What `head` tells about an object already in the bucket. */
export interface AssetHead {
  size?: number;
  customMetadata?: Record<string, string>;
}

export interface AssetPutOptions {
  httpMetadata: { contentType: string; cacheControl?: string };
  customMetadata: { sha256: string };
}

export interface AssetStore {
  /** null when the key is absent, or when the store cannot tell (then every object is uploaded). */
  head(key: string): Promise<AssetHead | null>;
  put(key: string, bytes: Uint8Array, options: AssetPutOptions): Promise<void>;
}

export type AssetTarget = { to: 'local' } | { to: 'remote'; env: string };

/**
 * An AssetStore over an R2 binding (a Worker's, or wrangler's platform proxy's).
 *
 * @example
 * const bindings = await openLocalBindings();
 * await publishAssets({ dir: 'dist/assets', store: r2AssetStore(bindings.r2) });
 */
export function r2AssetStore(r2: R2Port): AssetStore {
  return {
    head: async (key) => asHead(await r2.head(key)),
    put: async (key, bytes, options) => {
      await r2.put(key, bytes, options);
    },
  };
}

/**
 * Opens the bucket models are published to: `local` is ASSETS_R2 of the local
 * workerd state (VITRINE_STATE_DIR, else `.vitrine/state`); `remote` is the
 * ASSETS_R2 bucket of `[env.<env>]` in wrangler.toml, written through
 * `wrangler r2 object put --remote`, which can neither read metadata nor set
 * it, so a remote publish uploads every object (names are content-hashed, so
 * this is safe, only slower).
 *
 * @example
 * const store = await openAssetStore({ to: 'local' });
 * try { await publishAssets({ dir, store }); } finally { await store.dispose(); }
 */
export async function openAssetStore(target: AssetTarget): Promise<AssetStore & { dispose(): Promise<void> }> {
  if (target.to === 'local') {
    const local = await openLocalBindings();
    return { ...r2AssetStore(local.r2), dispose: () => local.dispose() };
  }
  const remote = new WranglerRemoteStore(target.env, await assetsBucketFor(target.env));
  return {
    head: async () => null,
    put: async (key, bytes, options) => remote.r2.put(key, bytes, options),
    dispose: async () => {},
  };
}

function asHead(value: unknown): AssetHead | null {
  if (typeof value !== 'object' || value === null) return null;
  const { size, customMetadata } = value as { size?: unknown; customMetadata?: unknown };
  return {
    size: typeof size === 'number' ? size : undefined,
    customMetadata: typeof customMetadata === 'object' && customMetadata !== null ? (customMetadata as Record<string, string>) : undefined,
  };
}
