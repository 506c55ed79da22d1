/**
 * The asset delivery policy: what the showroom's HealthMonitor decides about
 * 3D assets and the asset worker obeys. The monitor writes it to KV
 * (`ASSET_POLICY_KEY` in CATALOG_KV) whenever it changes; asset worker isolates
 * read it with a short in-memory cache, so no asset request waits on the monitor.
 *
 * - `primaryCdn`: the merchant's asset CDN (`ASSET_PRIMARY_URL`) as the monitor's
 *   probes see it; `down` sends every asset read straight to the R2 replica.
 * - `maxLod`: ops' cap on detail, as a level index of the model manifests
 *   (0 = full detail, the last = first paint). Served manifests list only levels
 *   at or coarser than it (`levels[maxLod…]`; a model with fewer levels keeps its
 *   first-paint level). `null`: no cap.
 * - `viewer3d`: `false` switches 3D off: manifests list no levels, only the poster.
 *
 * Plain TypeScript, no zod: the asset worker's bundle stays small (under 20 KB gzipped).
 *
 * @example
 * const policy = parseAssetPolicy(await env.CATALOG_KV.get(ASSET_POLICY_KEY, 'json'));
 */
export const ASSET_POLICY_KEY = 'ops/asset-policy';

/** Highest level index a cap may name; manifests have far fewer levels (4 by default). */
export const MAX_LOD_INDEX = 15;

export interface AssetPolicy {
  primaryCdn: 'up' | 'down';
  maxLod: number | null;
  viewer3d: boolean;
  /** When the monitor last changed it (ISO time), and why: for logs and /status. */
  updatedAt?: string;
  reason?: string;
}

export const DEFAULT_ASSET_POLICY: AssetPolicy = { primaryCdn: 'up', maxLod: null, viewer3d: true };

/**
 * A policy from untrusted JSON: each field checked on its own, a bad or missing field taking its default
 * (everything on), so a damaged record can never switch 3D off or pin the replica by accident.
 */
export function parseAssetPolicy(stored: unknown): AssetPolicy {
  if (typeof stored !== 'object' || stored === null) return DEFAULT_ASSET_POLICY;
  const s = stored as Record<string, unknown>;
  const policy: AssetPolicy = {
    primaryCdn: s.primaryCdn === 'down' ? 'down' : 'up',
    maxLod: isLodIndex(s.maxLod) ? s.maxLod : null,
    viewer3d: s.viewer3d !== false,
  };
  if (typeof s.updatedAt === 'string' && !Number.isNaN(Date.parse(s.updatedAt))) policy.updatedAt = s.updatedAt;
  if (typeof s.reason === 'string') policy.reason = s.reason.slice(0, 500);
  return policy;
}

export function isLodIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_LOD_INDEX;
}
