/**
 * Where a built model's files live in R2 and how they are served:
 * `models/<id>/<file name>`, content-hashed files immutable, manifest and
 * tileset with a short TTL (their names are stable, their content changes).
 */

export const ASSET_KEY_PREFIX = 'models/';
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const INDEX_CACHE_CONTROL = 'public, max-age=60, must-revalidate';

const CONTENT_TYPES = new Map([
  ['glb', 'model/gltf-binary'],
  ['webp', 'image/webp'],
  ['json', 'application/json'],
]);

/** One file of a model folder, ready to upload. */
export interface AssetObject {
  /** R2 key: `models/<id>/<name>`. */
  key: string;
  /** Path on disk. */
  path: string;
  bytes: number;
  /** Hex SHA-256 of the bytes, stored as `customMetadata.sha256`. */
  sha256: string;
  contentType: string;
  cacheControl: string;
}

/**
 * The R2 key of a model's file.
 *
 * @example
 * assetKey('wickerchair', 'manifest.json'); // 'models/wickerchair/manifest.json'
 */
export function assetKey(id: string, name: string): string {
  return `${ASSET_KEY_PREFIX}${id}/${name}`;
}

/** The content type of a published file, by extension; throws for anything publish does not know. */
export function contentTypeOf(name: string): string {
  const type = CONTENT_TYPES.get(name.split('.').at(-1) ?? '');
  if (!type) throw new Error(`publish-assets: no content type for "${name}" (expected .glb, .webp or .json)`);
  return type;
}
