/** `models.json`: which products have a 3D model (SKU → model file path, relative to that file). */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { MODEL_ID_RE, slugify } from '../../workers/shared/catalog/product-schema.ts';
import { CatalogImportError, type ImportIssue } from './import-issue.ts';
import { isObject } from './validate-product.ts';

/**
 * The model id of a model file: its name without extension, slugified.
 *
 * @example
 * modelIdFromPath('../models/TennisRacquet/TennisRacquet.gltf'); // 'tennisracquet'
 */
export function modelIdFromPath(path: string): string {
  const name = path.split(/[\\/]/).at(-1) ?? '';
  return slugify(name.replace(/\.[^.]*$/, ''))
    .slice(0, 63)
    .replace(/-+$/, '');
}

/**
 * Reads a models.json into SKU → model id. Keys starting with `_` (comments) are ignored.
 * @throws CatalogImportError listing every bad entry (not a string, or no usable model id).
 *
 * @example
 * await readModelMap('fixtures/catalog/models.json'); // { 'FUR-KNO-KNO-014': 'wickerchair', … }
 */
export async function readModelMap(path: string): Promise<Record<string, string>> {
  const models: Record<string, string> = {};
  const issues: ImportIssue[] = [];
  for (const [sku, value] of await readMapEntries(path)) {
    const id = typeof value === 'string' ? modelIdFromPath(value) : '';
    if (MODEL_ID_RE.test(id)) models[sku] = id;
    else
      issues.push({
        record: `entry ${JSON.stringify(sku)}`,
        field: sku,
        message: `expected a model file path with a usable name (got ${JSON.stringify(value)})`,
      });
  }
  if (issues.length > 0) throw new CatalogImportError(issues, path);
  return models;
}

/**
 * The model id for a SKU, looking only at the map's own keys (a SKU such as `constructor` finds nothing).
 *
 * @example
 * modelFor({ 'FUR-KNO-KNO-014': 'wickerchair' }, 'FUR-KNO-KNO-014'); // 'wickerchair'
 */
export function modelFor(models: Record<string, string> | undefined, sku: unknown): string | undefined {
  return models !== undefined && typeof sku === 'string' && Object.hasOwn(models, sku) ? models[sku] : undefined;
}

/**
 * The model files a models.json names, resolved against its folder, each once
 * (for the assets pipeline: several SKUs may share one model).
 *
 * @example
 * await readModelFiles('fixtures/catalog/models.json'); // ['/…/fixtures/models/WickerChair.glb', …]
 */
export async function readModelFiles(path: string): Promise<string[]> {
  const files = (await readMapEntries(path)).flatMap(([, value]) => (typeof value === 'string' ? [resolve(dirname(path), value)] : []));
  return [...new Set(files)];
}

/** The entries of a models.json (comment keys, starting with `_`, left out). */
async function readMapEntries(path: string): Promise<[string, unknown][]> {
  const text = await readFile(path, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new CatalogImportError([{ record: '(file)', field: '(json)', message: (err as Error).message }], path);
  }
  if (!isObject(data))
    throw new CatalogImportError([{ record: '(file)', field: '(json)', message: 'expected an object: SKU → model path' }], path);
  return Object.entries(data).filter(([sku]) => !sku.startsWith('_'));
}
