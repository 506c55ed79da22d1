/**
 * Incremental builds: `<out>/.build-cache.json` remembers, per model, the key
 * it was built with (its input bytes and external files, the settings, the
 * pipeline and encoder versions) and its manifest. A model whose key matches
 * and whose output files are all present, with their sizes, is not rebuilt.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { VERSION as GLTF_TRANSFORM_VERSION } from '@gltf-transform/core';
import type { BuildSettings } from './build-config.ts';
import { writeJsonFile } from './model-outputs.ts';
import type { ModelManifest } from './write-manifest.ts';

/** Bump when the pipeline's output for the same input and settings changes. */
export const PIPELINE_VERSION = 1;
export const CACHE_FILE = '.build-cache.json';

export interface CacheEntry {
  key: string;
  manifest: ModelManifest;
  warnings: string[];
}

export type BuildCache = Record<string, CacheEntry>;

/**
 * The cache key of a model: changes with its bytes, the settings that shape outputs, or the tool versions.
 *
 * @example
 * cacheKey(sourceHash(source), settings); // '5f0c…' (64 hex)
 */
export function cacheKey(inputHash: string, settings: BuildSettings, encoders = encoderVersions()): string {
  return createHash('sha256').update(JSON.stringify({ PIPELINE_VERSION, encoders, settings, inputHash })).digest('hex');
}

/** The cache of an output folder; empty when there is none or it does not parse. */
export async function readBuildCache(out: string): Promise<BuildCache> {
  try {
    const data = JSON.parse(await readFile(join(out, CACHE_FILE), 'utf8')) as { version?: number; models?: BuildCache };
    return data.version === PIPELINE_VERSION && data.models ? data.models : {};
  } catch {
    return {};
  }
}

export async function writeBuildCache(out: string, cache: BuildCache): Promise<void> {
  const models = Object.fromEntries(Object.entries(cache).sort(([a], [b]) => (a < b ? -1 : 1)));
  await writeJsonFile(join(out, CACHE_FILE), { version: PIPELINE_VERSION, models });
}

/** Whether every file of a cached model (levels, poster, manifest, tileset) is in `<out>/<id>/` with the recorded size. */
export async function outputsPresent(out: string, entry: CacheEntry): Promise<boolean> {
  const dir = join(out, entry.manifest.id);
  const files = [...entry.manifest.levels, ...(entry.manifest.poster ? [entry.manifest.poster] : [])];
  const sizes = await Promise.all(
    [...files.map((f) => f.uri), 'manifest.json', 'tileset.json'].map((name) =>
      stat(join(dir, name)).then(
        (s) => s.size,
        () => -1,
      ),
    ),
  );
  return sizes.every((size, i) => size >= 0 && (i >= files.length || size === files[i]!.bytes));
}

let versions: Record<string, string> | undefined;

/** Versions of the encoders whose output bytes the cache depends on. */
export function encoderVersions(): Record<string, string> {
  if (versions) return versions;
  const require = createRequire(import.meta.url);
  const version = (name: string) => {
    try {
      const main = require.resolve(name);
      let dir = dirname(main);
      while (!dir.endsWith(join('node_modules', name)) && dirname(dir) !== dir) dir = dirname(dir);
      return (require(join(dir, 'package.json')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  versions = { gltfTransform: GLTF_TRANSFORM_VERSION, meshoptimizer: version('meshoptimizer'), sharp: version('sharp') };
  return versions;
}
