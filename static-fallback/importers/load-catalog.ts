/**
 * One entry point for catalog files: picks the importer by extension (or content), applies models.json, and is
 * strict by default: any issue fails the whole import, so nothing is ever half-imported.
 */
import { open, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Product } from '../../workers/shared/catalog/product-schema.ts';
import { importDummyJson, importDummyJsonStream } from './dummyjson.ts';
import { CatalogImportError } from './import-issue.ts';
import { jsonArrayElements } from './json-array-elements.ts';
import { readModelMap } from './models-map.ts';
import { importShopifyCsv } from './shopify-csv.ts';
import { importSnapshot } from './snapshot.ts';
import type { ImportOptions, ImportResult } from './types.ts';
import { isObject } from './validate-product.ts';

export { jsonArrayElements } from './json-array-elements.ts';
export { buildSnapshot } from './snapshot.ts';

export interface LoadCatalogOptions extends ImportOptions {
  /** A models.json (SKU → model file path); its entries add to `models`, which win on conflicts. */
  modelsPath?: string;
  /** Return the valid products plus the issues instead of throwing (still throws when nothing is valid). */
  skipInvalid?: boolean;
}

/** Options of `importCatalog`: `file` names the source in issues and picks the format by extension. */
export interface ImportCatalogOptions extends ImportOptions {
  file?: string;
  skipInvalid?: boolean;
}

/**
 * Loads a catalog file: `.csv` → Shopify CSV; `.json` → Vitrine snapshot when it has `schemaVersion`, else
 * DummyJSON. Other extensions are recognized by content.
 * @throws CatalogImportError with ALL issues when any record is invalid (unless `skipInvalid`) or none is valid.
 *
 * @example
 * const { products } = await loadCatalogFile('fixtures/catalog/products.json', { modelsPath: 'fixtures/catalog/models.json' });
 */
export async function loadCatalogFile(path: string, options: LoadCatalogOptions = {}): Promise<ImportResult> {
  const { modelsPath, ...rest } = options;
  const models = modelsPath === undefined ? options.models : { ...(await readModelMap(modelsPath)), ...options.models };
  if (await isJsonArrayFile(path)) {
    // A top-level array (DummyJSON-shaped): streamed element by element, so large exports stay small in memory.
    const { skipInvalid, ...importOptions } = rest;
    return loadDummyJsonArrayFile(path, { ...importOptions, models, skipInvalid }, (p) => p);
  }
  const text = await readFile(path, 'utf8');
  return importCatalog(text, { ...rest, models, file: path });
}

/** Whether a file is a `.json` whose top level is an array (streamable element by element). */
export async function isJsonArrayFile(path: string): Promise<boolean> {
  if (extname(path).toLowerCase() !== '.json') return false;
  const handle = await open(path);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
    return buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('[');
  } finally {
    await handle.close();
  }
}

/**
 * A DummyJSON array file, streamed, keeping `keep(product)` of each valid
 * product; strict like `loadCatalogFile` (a file that is not JSON is an issue).
 */
export async function loadDummyJsonArrayFile<P extends Pick<Product, 'sku' | 'slug'>>(
  path: string,
  options: ImportOptions & { skipInvalid?: boolean },
  keep: (product: Product) => P,
): Promise<ImportResult<P>> {
  const { skipInvalid, ...importOptions } = options;
  let result: ImportResult<P>;
  try {
    result = await importDummyJsonStream(jsonArrayElements(path), importOptions, keep);
  } catch (err) {
    result = { products: [], issues: [{ record: '(file)', field: '(json)', message: (err as Error).message }], skipped: [] };
  }
  return strictly(result, path, skipInvalid);
}

function strictly<P>(result: ImportResult<P>, file: string | undefined, skipInvalid: boolean | undefined): ImportResult<P> {
  if (result.issues.length > 0 && (!skipInvalid || result.products.length === 0)) throw new CatalogImportError(result.issues, file);
  return result;
}

/**
 * `loadCatalogFile` for text already in memory.
 *
 * @example
 * const { products } = importCatalog(csvText, { file: 'export.csv', currency: 'EUR' });
 */
export function importCatalog(text: string, options: ImportCatalogOptions = {}): ImportResult {
  const { file, skipInvalid, ...importOptions } = options;
  return strictly(importByFormat(text, file, importOptions), file, skipInvalid);
}

function importByFormat(text: string, file: string | undefined, options: ImportOptions): ImportResult {
  const ext = extname(file ?? '').toLowerCase();
  const looksJson = ext === '.json' || (ext !== '.csv' && /^\uFEFF?\s*[[{]/.test(text));
  if (!looksJson) return importShopifyCsv(text, options);
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { products: [], issues: [{ record: '(file)', field: '(json)', message: (err as Error).message }], skipped: [] };
  }
  return isObject(data) && 'schemaVersion' in data ? importSnapshot(data) : importDummyJson(data, options);
}
