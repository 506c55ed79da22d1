/**
 * Reads a build's output folder (`<dir>/<id>/manifest.json` and the files it
 * names) into upload plans, checking everything before anything is sent: the
 * id, the manifest's shape, that each named file exists with the size the
 * manifest gives and the hash its name carries, and that tileset.json points
 * only at files the manifest names.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, parseModelManifest, TILESET_FILE, tilesetContentUris } from '../../workers/shared/assets/model-manifest.ts';
import { MODEL_ID_RE } from '../../workers/shared/catalog/product-schema.ts';
import { VIEWER_DIR } from '../viewer/build-viewer.ts';
import { type AssetObject, assetKey, contentTypeOf, IMMUTABLE_CACHE_CONTROL, INDEX_CACHE_CONTROL } from './asset-objects.ts';

/** One model's uploads: content-hashed files first, then tileset.json, then manifest.json (always in that order). */
export interface ModelUploadPlan {
  id: string;
  files: AssetObject[];
  /** tileset.json then manifest.json: written only after every file of `files` is in place. */
  indexes: AssetObject[];
}

/**
 * Every model folder of `dir` that holds a manifest.json (other folders, and the viewer's `_viewer/`, are ignored), sorted by id.
 * @throws Error naming the folder or file and the exact problem; nothing has been uploaded yet.
 *
 * @example
 * const plans = await readModelOutputs('dist/assets'); // [{ id: 'wickerchair', files: [...], indexes: [...] }]
 */
export async function readModelOutputs(dir: string): Promise<ModelUploadPlan[]> {
  let entries: { name: string; isDirectory(): boolean }[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new Error(`publish-assets: cannot read ${dir}: ${(err as Error).message}`);
  }
  const plans: ModelUploadPlan[] = [];
  for (const entry of entries.filter((e) => e.isDirectory() && e.name !== VIEWER_DIR).sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = join(dir, entry.name);
    const manifestPath = join(folder, MANIFEST_FILE);
    const text = await readFile(manifestPath, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    if (!MODEL_ID_RE.test(entry.name))
      throw new Error(`${folder}: "${entry.name}" is not a model id (lower-case letters, digits and dashes, at most 63)`);
    plans.push(await planModel(entry.name, folder, text));
  }
  if (plans.length === 0) throw new Error(`publish-assets: no <id>/manifest.json under ${dir}; run \`npm run assets -- build\` first`);
  return plans;
}

async function planModel(id: string, folder: string, manifestText: string): Promise<ModelUploadPlan> {
  const manifestPath = join(folder, MANIFEST_FILE);
  const manifest = parseModelManifest(manifestText, manifestPath);
  if (manifest.id !== id) throw new Error(`${manifestPath}: id is "${manifest.id}" but the folder is "${id}"`);
  const named = [...manifest.levels, manifest.poster];
  const files: AssetObject[] = [];
  for (const { uri, bytes } of named) {
    const file = await describe(id, folder, uri, IMMUTABLE_CACHE_CONTROL, `named by ${manifestPath}`);
    if (file.bytes !== bytes) throw new Error(`${file.path}: ${file.bytes} bytes but ${manifestPath} says ${bytes}; rebuild the model`);
    const hash = /([0-9a-f]{12})\.[a-z]+$/.exec(uri)?.[1];
    if (!file.sha256.startsWith(hash ?? '-'))
      throw new Error(`${file.path}: content hash ${file.sha256.slice(0, 12)} does not match its name; rebuild the model`);
    files.push(file);
  }
  const tilesetPath = join(folder, TILESET_FILE);
  const tileset = await describe(id, folder, TILESET_FILE, INDEX_CACHE_CONTROL, `next to ${manifestPath}`);
  let tilesetJson: unknown;
  try {
    tilesetJson = JSON.parse(await readFile(tilesetPath, 'utf8'));
  } catch (err) {
    throw new Error(`${tilesetPath}: not JSON (${(err as Error).message})`);
  }
  const levels = new Set(manifest.levels.map((l) => l.uri));
  for (const uri of tilesetContentUris(tilesetJson)) {
    if (!levels.has(uri)) throw new Error(`${tilesetPath}: content "${uri}" is not a level named by ${manifestPath}`);
  }
  return { id, files, indexes: [tileset, await describe(id, folder, MANIFEST_FILE, INDEX_CACHE_CONTROL, '')] };
}

async function describe(id: string, folder: string, name: string, cacheControl: string, namedBy: string): Promise<AssetObject> {
  const path = join(folder, name);
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(`${path}: ${missing ? `missing (${namedBy})` : (err as Error).message}`);
  }
  return {
    key: assetKey(id, name),
    path,
    bytes: data.byteLength,
    sha256: createHash('sha256').update(data).digest('hex'),
    contentType: contentTypeOf(name),
    cacheControl,
  };
}
