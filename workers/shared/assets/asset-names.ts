/**
 * The names a published model folder may hold, as plain patterns (no zod), so
 * the asset worker can check keys without pulling a schema library into its
 * bundle. The zod manifest schema (model-manifest.ts) uses the same patterns.
 */

/** 3D model id, the `<id>` of `/models/<id>/manifest.json`. */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** `<level>-<hash>.glb`: level 0 is full detail; hash = first 12 hex of the SHA-256 of the bytes. */
export const LEVEL_FILE_RE = /^(\d{1,2})-([0-9a-f]{12})\.glb$/;
/** `poster-<hash>.webp`. */
export const POSTER_FILE_RE = /^poster-([0-9a-f]{12})\.webp$/;
export const MANIFEST_FILE = 'manifest.json';
export const TILESET_FILE = 'tileset.json';
/** The stable alias of a model's poster (resolved through its manifest by the asset worker). */
export const POSTER_ALIAS = 'poster.webp';
/** Files of the viewer bundle, published under `viewer/`. */
export const VIEWER_FILE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.(?:js|mjs|wasm|json|map)$/;
