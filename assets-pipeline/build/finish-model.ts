/**
 * The main-thread end of a model build: the poster, rendered from the
 * worker's poster model (as soon as it is ready, while the levels are still
 * being built), then tileset.json, then manifest.json (last,
 * so a manifest never names a file that is not there yet), then the files of
 * earlier builds that the new manifest no longer names are removed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PosterRenderer } from '../poster/poster-renderer.ts';
import type { BuiltModel } from './build-model.ts';
import { removeStaleOutputs, writeHashedFile, writeJsonFile } from './model-outputs.ts';
import { type ManifestPoster, type ModelManifest, modelManifest } from './write-manifest.ts';
import { tilesetFor } from './write-tileset.ts';

export interface RenderedPoster {
  webp: Uint8Array;
  width: number;
  height: number;
}

/**
 * Renders the poster of a model (a GLB, see poster-model.ts).
 * @throws Error naming the model (`name`, e.g. `chair (chair.glb)`) when the renderer fails.
 *
 * @example
 * const poster = await renderPoster(posters, glb, 1024, 'chair (chair.glb)');
 */
export function renderPoster(posters: PosterRenderer, glb: Uint8Array, size: number, name: string): Promise<RenderedPoster> {
  return posters.render(glb, { size }).catch((err: Error) => {
    throw new Error(`${name}: cannot render the poster: ${err.message}`);
  });
}

/**
 * Writes a built model's poster (when there is one), tileset and manifest; returns the manifest.
 *
 * @example
 * const manifest = await finishModel(built, { out: 'dist/assets', poster });
 */
export async function finishModel(built: BuiltModel, options: { out: string; poster?: RenderedPoster }): Promise<ModelManifest> {
  const dir = join(options.out, built.id);
  let poster: ManifestPoster | undefined;
  if (options.poster) {
    const { webp, width, height } = options.poster;
    poster = { uri: await writeHashedFile(dir, 'poster', 'webp', webp), bytes: webp.byteLength, width, height };
  }
  const manifest = modelManifest({ id: built.id, levels: built.levels, poster, bounds: built.bounds, source: built.source });
  await writeJsonFile(join(dir, 'tileset.json'), tilesetFor(manifest));
  await writeJsonFile(join(dir, 'manifest.json'), manifest);
  await removeStaleOutputs(dir, namedFiles(manifest));
  return manifest;
}

/** The files a manifest's folder holds: what it names, plus itself and the tileset. */
export function namedFiles(manifest: ModelManifest | undefined): Set<string> {
  if (!manifest) return new Set();
  return new Set([
    'manifest.json',
    'tileset.json',
    ...manifest.levels.map((l) => l.uri),
    ...(manifest.poster ? [manifest.poster.uri] : []),
  ]);
}

/** The manifest a model folder holds now, if any (to keep its files when a rebuild fails). */
export async function readPreviousManifest(dir: string): Promise<ModelManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
  } catch {
    return undefined;
  }
}
