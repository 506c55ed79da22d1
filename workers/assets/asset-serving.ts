/**
 * How each kind of file is served: its content type, and its Cache-Control.
 * Content-hashed names (levels, posters, viewer chunks) never change content:
 * cached for a year, `immutable`. Stable names whose content changes
 * (manifest.json, tileset.json, viewer.js, the poster alias) get a short TTL
 * that browsers and CDNs may serve stale while they revalidate (RFC 5861).
 *
 * @example
 * servingOf({ kind: 'level', key: 'models/chair/0-1a2b3c4d5e6f.glb', file: '0-1a2b3c4d5e6f.glb', hash: '1a2b3c4d5e6f' });
 * // { contentType: 'model/gltf-binary', cacheControl: 'public, max-age=31536000, immutable', immutable: true }
 */
import type { AssetRef } from './asset-paths.ts';

export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const SHORT_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';

const CONTENT_TYPES: Record<string, string> = {
  glb: 'model/gltf-binary',
  webp: 'image/webp',
  json: 'application/json',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  wasm: 'application/wasm',
  map: 'application/json',
};

/** A viewer file named by its content (`chunk-RHHM3XF7.js`, as esbuild names chunks), unlike the stable `viewer.js`. */
const HASHED_VIEWER_FILE_RE = /-[A-Za-z0-9_]{8,}\.[a-z]+$/;

export interface Serving {
  contentType: string;
  cacheControl: string;
  /** The name fixes the content: what this isolate verified once stays true. */
  immutable: boolean;
}

export function servingOf(asset: AssetRef): Serving {
  const contentType = CONTENT_TYPES[asset.file.split('.').pop() ?? ''] ?? 'application/octet-stream';
  const immutable = asset.hash !== undefined || (asset.kind === 'viewer' && HASHED_VIEWER_FILE_RE.test(asset.file));
  return { contentType, cacheControl: immutable ? IMMUTABLE_CACHE_CONTROL : SHORT_CACHE_CONTROL, immutable };
}
