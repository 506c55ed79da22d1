/**
 * Which models a build covers: the `.glb` and `.gltf` files named on the
 * command line, and those found (recursively) in the folders named there.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { modelIdFromPath } from '../../static-fallback/importers/models-map.ts';

export const MODEL_FILE_RE = /\.(glb|gltf)$/i;

export interface ModelInput {
  /** `modelIdFromPath(path)`: the file name without extension, slugified. */
  id: string;
  /** Absolute path of the .glb or .gltf. */
  path: string;
}

/**
 * The model files under the given files and folders, sorted by path, each once.
 * A file named directly is taken whatever its extension (it may be a bad input the build must report);
 * in folders only `.glb` / `.gltf` count, and folders starting with `.` and `node_modules` are skipped.
 * @throws Error naming a path that does not exist.
 *
 * @example
 * await findModelFiles(['../shared/fixtures/models']); // [{ id: 'damagedhelmet', path: '…/DamagedHelmet.glb' }, …]
 */
export async function findModelFiles(inputs: readonly string[]): Promise<ModelInput[]> {
  const paths = new Set<string>();
  for (const input of inputs) {
    const path = resolve(input);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new Error(`assets: ${input} does not exist`);
    if (info.isDirectory()) for (const file of await walk(path)) paths.add(file);
    else paths.add(path);
  }
  return [...paths].sort().map((path) => ({ id: modelIdFromPath(path), path }));
}

async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') found.push(...(await walk(path)));
    } else if (MODEL_FILE_RE.test(entry.name)) found.push(path);
  }
  return found;
}
