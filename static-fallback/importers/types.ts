/** Types every catalog importer shares. */
import type { Product } from '../../workers/shared/catalog/product-schema.ts';
import type { ImportIssue } from './import-issue.ts';

/** Knobs the source formats cannot express themselves. */
export interface ImportOptions {
  /** ISO 4217 code for sources without one; `USD` when omitted. */
  currency?: string;
  /** SKU → 3D model id (`wickerchair`), for products that have a model. */
  models?: Record<string, string>;
}

/** What an importer produces: the valid products, the problems found and the records left out. */
export interface ImportResult<P = Product> {
  products: P[];
  issues: ImportIssue[];
  /** Records left out, by their readable name; invalid ones and ones skipped on purpose (e.g. draft). */
  skipped: string[];
}
