/**
 * Which stored object a request path names, checked before anything touches
 * R2: `/models/<id>/<file>` (a manifest, tileset, level GLB, poster, or the
 * poster alias) or `/viewer/<file>`. The raw path is checked once, undecoded:
 * a `%` anywhere (encoded separators, double encoding), `..`, a backslash or
 * an empty segment is refused, so a key can never leave its folder.
 *
 * @example
 * parseAssetPath('/models/wickerchair/0-1a2b3c4d5e6f.glb');
 * // { ok: true, asset: { kind: 'level', key: 'models/wickerchair/0-1a2b3c4d5e6f.glb', id: 'wickerchair', file: '0-1a2b3c4d5e6f.glb', hash: '1a2b3c4d5e6f' } }
 */
import {
  LEVEL_FILE_RE,
  MANIFEST_FILE,
  MODEL_ID_PATTERN,
  POSTER_ALIAS,
  POSTER_FILE_RE,
  TILESET_FILE,
  VIEWER_FILE_RE,
} from '../shared/assets/asset-names.ts';

/** A file of a model folder, or of the viewer bundle; `key` is its R2 key. */
export type AssetRef =
  | {
      kind: 'manifest' | 'tileset' | 'level' | 'poster' | 'poster-alias';
      key: string;
      id: string;
      file: string;
      /** The 12-hex content hash a level's or poster's name carries. */
      hash?: string;
    }
  | { kind: 'viewer'; key: string; file: string; id?: undefined; hash?: undefined };

export type ParsedPath = { ok: true; asset: AssetRef } | { ok: false; status: 400 | 404; reason: string };

export const MAX_PATH_CHARS = 200;

export function parseAssetPath(pathname: string): ParsedPath {
  if (pathname.length > MAX_PATH_CHARS) return { ok: false, status: 400, reason: `the path is longer than ${MAX_PATH_CHARS} characters` };
  if (/%|\\|\/\.\.?(\/|$)|\/\//.test(pathname))
    return { ok: false, status: 400, reason: 'the path may not contain "%", "\\", "..", "." or empty segments' };
  const parts = pathname.split('/').slice(1);
  if (parts[0] === 'viewer' && parts.length === 2) {
    const file = parts[1]!;
    if (!VIEWER_FILE_RE.test(file)) return { ok: false, status: 404, reason: `no viewer file named "${file}"` };
    return { ok: true, asset: { kind: 'viewer', key: `viewer/${file}`, file } };
  }
  if (parts[0] !== 'models' || parts.length !== 3)
    return { ok: false, status: 404, reason: 'expected /models/<id>/<file> or /viewer/<file>' };
  const [, id, file] = parts as [string, string, string];
  if (!MODEL_ID_PATTERN.test(id)) return { ok: false, status: 400, reason: 'a model id is lower-case letters, digits and "-", at most 63' };
  const key = `models/${id}/${file}`;
  if (file === MANIFEST_FILE) return { ok: true, asset: { kind: 'manifest', key, id, file } };
  if (file === TILESET_FILE) return { ok: true, asset: { kind: 'tileset', key, id, file } };
  if (file === POSTER_ALIAS) return { ok: true, asset: { kind: 'poster-alias', key, id, file } };
  const level = LEVEL_FILE_RE.exec(file);
  if (level) return { ok: true, asset: { kind: 'level', key, id, file, hash: level[2]! } };
  const poster = POSTER_FILE_RE.exec(file);
  if (poster) return { ok: true, asset: { kind: 'poster', key, id, file, hash: poster[1]! } };
  return {
    ok: false,
    status: 404,
    reason: `no model file named "${file}" (expected manifest.json, tileset.json, <level>-<hash>.glb, poster-<hash>.webp)`,
  };
}
