/**
 * The manifest a viewer gets: the published one, minus what ops' policy or
 * the bucket rules out, as pure functions (read-served-manifest.ts does the
 * reading). `viewer3d: false` lists no levels (the poster stays); `maxLod: n`
 * lists levels n… (at least the first-paint level); a level whose object is
 * missing from R2 is dropped, so a viewer falls back to a coarser level or the
 * poster, never to a 404 mid-load. `policy` says why.
 *
 * @example
 * servedManifest(published, { maxLod: 2, viewer3d: true, primaryCdn: 'up' }, new Set(['0-…glb']));
 */
import type { AssetPolicy } from '../shared/assets/asset-policy.ts';

export interface PublishedManifest {
  id: string;
  levels: { uri: string; [k: string]: unknown }[];
  poster: { uri: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** A light structural check (the worker carries no schema library): what serving relies on. */
export function asManifest(value: unknown): PublishedManifest | undefined {
  const m = value as Partial<PublishedManifest> | null;
  if (typeof m !== 'object' || m === null || typeof m.id !== 'string' || !Array.isArray(m.levels)) return undefined;
  if (typeof m.poster?.uri !== 'string' || !m.levels.every((l) => typeof l?.uri === 'string')) return undefined;
  return m as PublishedManifest;
}

export function servedManifest(manifest: PublishedManifest, policy: AssetPolicy, missing: ReadonlySet<string>): PublishedManifest {
  let levels = manifest.levels;
  if (!policy.viewer3d) levels = [];
  else if (policy.maxLod !== null) levels = levels.slice(Math.min(policy.maxLod, levels.length - 1));
  levels = levels.filter((level) => !missing.has(level.uri));
  return { ...manifest, levels, policy: { maxLod: policy.maxLod, viewer3d: policy.viewer3d } };
}
