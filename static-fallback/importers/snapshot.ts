/** Vitrine snapshots (`SnapshotSchema`): building one from products, and reading one back as an import. */
import { type Product, SNAPSHOT_SCHEMA_VERSION, type Snapshot, SnapshotSchema } from '../../workers/shared/catalog/product-schema.ts';
import { type ImportedRecord, resolveDuplicates } from './dedupe.ts';
import { CatalogImportError, type ImportIssue, inSourceOrder, labelValue } from './import-issue.ts';
import type { ImportResult } from './types.ts';
import { formatPath, isObject, validateProduct } from './validate-product.ts';

/** Where a snapshot comes from and when it was made (ISO 8601, default now). */
export interface SnapshotMeta {
  source: string;
  generatedAt?: string;
}

/**
 * A `SnapshotSchema`-valid document of the products.
 * @throws CatalogImportError with every problem (invalid product, duplicate sku or slug, no products).
 *
 * @example
 * const snapshot = buildSnapshot(products, { source: 'dummyjson-import' });
 * // { schemaVersion: 1, generatedAt: '2026-…Z', source: 'dummyjson-import', products: [...] }
 */
export function buildSnapshot(products: readonly Product[], meta: SnapshotMeta): Snapshot {
  const document = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    generatedAt: meta.generatedAt ?? new Date().toISOString(),
    source: meta.source,
    products,
  };
  const parsed = SnapshotSchema.safeParse(document);
  if (parsed.success) return parsed.data;
  throw new CatalogImportError(parsed.error.issues.map((issue) => locate(issue.path, products, issue.message)));
}

/**
 * Reads a snapshot document: the envelope (`schemaVersion`, `generatedAt`, `source`) must be valid as a whole;
 * products are validated one by one, issues naming `products[<index>] (sku <sku>)`. Duplicate SKUs or slugs
 * are issues (a snapshot's slugs are published URLs, so they are never renamed).
 *
 * @example
 * const { products, issues } = importSnapshot(JSON.parse(await readFile('snapshot.json', 'utf8')));
 */
export function importSnapshot(data: unknown): ImportResult {
  const raw = isObject(data) && Array.isArray(data.products) ? data.products : [];
  const parsed = SnapshotSchema.safeParse(data);
  const envelope = parsed.success ? [] : parsed.error.issues.filter((i) => i.path[0] !== 'products' || i.path.length === 1);
  if (envelope.length > 0) return { products: [], issues: envelope.map((i) => locate(i.path, raw, i.message)), skipped: [] };
  const valid: ImportedRecord[] = [];
  const issues: ImportIssue[] = [];
  const skipped: string[] = [];
  raw.forEach((candidate: unknown, index) => {
    const record = productRecord(raw, index);
    const { product, issues: found } = validateProduct(candidate, (path) => ({ record, field: formatPath(path) }));
    if (product) valid.push({ product, record });
    else {
      issues.push(...found);
      skipped.push(record);
    }
  });
  const unique = resolveDuplicates(valid, 'sku', 'reject');
  return { products: unique.products, issues: inSourceOrder([...issues, ...unique.issues]), skipped: [...skipped, ...unique.skipped] };
}

function locate(path: readonly PropertyKey[], products: readonly unknown[], message: string): ImportIssue {
  const [head, index, ...rest] = path;
  if (head === 'products' && typeof index === 'number') return { record: productRecord(products, index), field: formatPath(rest), message };
  return { record: '(snapshot)', field: formatPath(path), message };
}

function productRecord(products: readonly unknown[], index: number): string {
  const product = products[index];
  const sku = isObject(product) && typeof product.sku === 'string' && product.sku ? ` (sku ${labelValue(product.sku)})` : '';
  return `products[${index}]${sku}`;
}
