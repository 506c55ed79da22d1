/**
 * The shape of `models/<id>/manifest.json`, as publish trusts it and the asset worker serves it: every name a
 * manifest can hold is a strict pattern, so nothing outside `models/<id>/`
 * can ever be written and every file name carries its own content hash.
 */
import { z } from 'zod';
import { MODEL_ID_RE } from '../catalog/product-schema.ts';

import { LEVEL_FILE_RE, POSTER_FILE_RE } from './asset-names.ts';

export { LEVEL_FILE_RE, MANIFEST_FILE, POSTER_FILE_RE, TILESET_FILE } from './asset-names.ts';

const count = z.number().int().nonnegative();
const vec3 = z.tuple([z.number(), z.number(), z.number()]);

export const ModelManifestSchema = z.object({
  id: z.string().regex(MODEL_ID_RE, 'expected a model id (lower-case letters, digits and dashes)'),
  levels: z
    .array(
      z.object({
        uri: z.string().regex(LEVEL_FILE_RE, 'expected a level file name "<level>-<12 hex>.glb"'),
        bytes: z.number().int().positive(),
        triangles: count,
        geometricError: z.number().nonnegative(),
        textureSize: count,
      }),
    )
    .min(1),
  poster: z.object({
    uri: z.string().regex(POSTER_FILE_RE, 'expected a poster file name "poster-<12 hex>.webp"'),
    bytes: z.number().int().positive(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
  }),
  bounds: z.object({ min: vec3, max: vec3 }),
  source: z.object({ bytes: count, triangles: count }),
});
export type ModelManifest = z.infer<typeof ModelManifestSchema>;

/**
 * Parses a manifest's text, or throws an Error naming the file and the first problem.
 *
 * @example
 * parseModelManifest(await readFile(path, 'utf8'), path).levels[0].uri; // '0-1a2b3c4d5e6f.glb'
 */
export function parseModelManifest(text: string, path: string): ModelManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not JSON (${(err as Error).message})`);
  }
  if (typeof data === 'object' && data !== null && !('poster' in data))
    throw new Error(`${path}: no poster (built with posters disabled); rebuild with posters to publish, shoppers without 3D need it`);
  const parsed = ModelManifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: not a model manifest: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const manifest = parsed.data;
  manifest.levels.forEach((level, i) => {
    if (Number(LEVEL_FILE_RE.exec(level.uri)?.[1]) !== i)
      throw new Error(`${path}: levels[${i}].uri is "${level.uri}"; level ${i} must be named "${i}-<hash>.glb"`);
  });
  return manifest;
}

/** Every `content.uri` / `contents[].uri` in a 3D Tiles tileset, walking `root` and its `children`. */
export function tilesetContentUris(tileset: unknown): string[] {
  const uris: string[] = [];
  const visit = (tile: unknown): void => {
    if (typeof tile !== 'object' || tile === null) return;
    const { content, contents, children } = tile as { content?: { uri?: unknown }; contents?: unknown; children?: unknown };
    for (const c of [content, ...(Array.isArray(contents) ? contents : [])]) {
      const uri = (c as { uri?: unknown } | undefined)?.uri;
      if (typeof uri === 'string') uris.push(uri);
    }
    if (Array.isArray(children)) children.forEach(visit);
  };
  visit((tileset as { root?: unknown } | null)?.root);
  return uris;
}
