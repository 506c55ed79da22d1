/**
 * Reads the manifest a viewer is served (see served-manifest.ts): the stored
 * manifest (Cache API, else R2), minus the levels whose objects R2 does not
 * hold (one HEAD per level, all at once; a name that is not a level file
 * counts as missing), filtered by the policy. The served bytes get their own
 * strong ETag (the policy changes them without touching the stored object) and
 * the later of the object's and the policy's dates. An isolate keeps each
 * (model, policy) answer for SERVED_MANIFEST_TTL_MS, so a burst of viewers
 * costs one read.
 *
 * @example
 * const served = await readServedManifest(env.ASSETS_R2, 'wickerchair', policy, ctx);
 * served?.manifest.poster.uri; // 'poster-1a2b3c4d5e6f.webp'
 */
import { LEVEL_FILE_RE, MANIFEST_FILE } from '../shared/assets/asset-names.ts';
import type { AssetPolicy } from '../shared/assets/asset-policy.ts';
import { asManifest, type PublishedManifest, servedManifest } from './served-manifest.ts';
import { openStored, type StoredObject, sha256Hex, storedBytes } from './stored-object.ts';

export const SERVED_MANIFEST_TTL_MS = 10_000;
const MAX_KEPT = 1024;

export interface ServedManifest {
  manifest: PublishedManifest;
  /** The served JSON, with its validators. */
  object: StoredObject;
}

const kept = new Map<string, { served: ServedManifest; at: number }>();

/** The served manifest of model `id`, or null when none is published. @throws Error when the stored one is not a manifest. */
export async function readServedManifest(
  bucket: R2Bucket,
  id: string,
  policy: AssetPolicy,
  ctx: Pick<ExecutionContext, 'waitUntil'>,
  now = Date.now(),
): Promise<ServedManifest | null> {
  const memo = `${id}|${policy.maxLod}|${policy.viewer3d}|${policy.updatedAt ?? ''}`;
  const hit = kept.get(memo);
  if (hit && now - hit.at < SERVED_MANIFEST_TTL_MS) return hit.served;

  const key = `models/${id}/${MANIFEST_FILE}`;
  const stored = await openStored(bucket, { kind: 'manifest', key, id, file: MANIFEST_FILE }, ctx);
  if (!stored) return null;
  const published = asManifest(JSON.parse(await new Response(await stored.read()).text()));
  if (!published) throw new Error(`${key} is not a model manifest`);

  const missing = await missingLevels(bucket, id, published.levels);
  const manifest = servedManifest(published, policy, missing);
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  const object = storedBytes(
    {
      size: bytes.byteLength,
      etag: `"${(await sha256Hex(bytes)).slice(0, 32)}"`,
      modified: new Date(Math.max(stored.modified.getTime(), Date.parse(policy.updatedAt ?? '') || 0)),
      contentType: 'application/json',
    },
    bytes,
  );
  if (kept.size >= MAX_KEPT) kept.clear();
  kept.set(memo, { served: { manifest, object }, at: now });
  return { manifest, object };
}

/** Test hook: forget the served manifests this isolate keeps. */
export function resetServedManifests(): void {
  kept.clear();
}

async function missingLevels(bucket: R2Bucket, id: string, levels: { uri: string }[]): Promise<Set<string>> {
  const found = await Promise.all(
    levels.map(async ({ uri }) => (LEVEL_FILE_RE.test(uri) && (await bucket.head(`models/${id}/${uri}`)) !== null ? null : uri)),
  );
  return new Set(found.filter((uri): uri is string => uri !== null));
}
