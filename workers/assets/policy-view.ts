/**
 * This isolate's view of the asset policy the HealthMonitor publishes to KV
 * (see workers/shared/assets/asset-policy.ts): read at most once per
 * `ASSET_POLICY_TTL_MS` (default 2 s), the last answer kept when KV fails.
 *
 * @example
 * const { primaryCdn, maxLod, viewer3d } = await assetPolicy(env);
 */
import { ASSET_POLICY_KEY, type AssetPolicy, DEFAULT_ASSET_POLICY, parseAssetPolicy } from '../shared/assets/asset-policy.ts';

export const POLICY_TTL_DEFAULT_MS = 2_000;

let cached: { policy: AssetPolicy; at: number } | undefined;

export async function assetPolicy(env: AssetsEnv, now = Date.now()): Promise<AssetPolicy> {
  const ttl = Number.parseInt(env.ASSET_POLICY_TTL_MS ?? '', 10);
  if (cached && now - cached.at < (Number.isFinite(ttl) && ttl >= 0 ? ttl : POLICY_TTL_DEFAULT_MS)) return cached.policy;
  try {
    cached = { policy: parseAssetPolicy(await env.CATALOG_KV.get(ASSET_POLICY_KEY, 'json')), at: now };
  } catch {
    cached = { policy: cached?.policy ?? DEFAULT_ASSET_POLICY, at: now };
  }
  return cached.policy;
}
