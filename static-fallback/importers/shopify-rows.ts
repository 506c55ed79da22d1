/**
 * Shopify product CSV → products as groups of rows. One product spans several rows: the first has the Title,
 * the following ones (same Handle, empty Title) carry more variants and images.
 */
import { cell, readCsvRecords, type SourceRow } from './csv-records.ts';
import { type ImportIssue, labelValue } from './import-issue.ts';

/** The rows of one product, its first row first. */
export interface ProductRows {
  handle: string;
  /** Readable name of the product's first row: `row 17 (handle annibale-colombo-bed)`. */
  record: string;
  rows: SourceRow[];
  /** Lowercased `Status` of the first row (`active`, `draft`, `archived`, or `''`). */
  status: string;
  /** Problems of the grouping itself, e.g. a first row without a Title. */
  issues: ImportIssue[];
}

/** The products found; `fatal` when the file cannot be trusted as a whole (then `groups` is empty). */
export interface ShopifyRows {
  groups: ProductRows[];
  issues: ImportIssue[];
  skipped: string[];
  fatal: boolean;
}

/** Product-level columns: a row with any of these and no Title is a product row that lost its Title. */
const PRODUCT_COLUMNS = ['Body (HTML)', 'Vendor', 'Product Category', 'Type', 'Tags', 'Option1 Name', 'SEO Title', 'Status'];

/**
 * The readable name of a row for issues.
 *
 * @example
 * rowName({ row: 17, cells: { Handle: 'annibale-colombo-bed' } }); // 'row 17 (handle annibale-colombo-bed)'
 */
export function rowName(row: SourceRow): string {
  const handle = cell(row, 'Handle');
  return handle ? `row ${row.row} (handle ${labelValue(handle)})` : `row ${row.row}`;
}

/**
 * Parses the CSV (strict column count, BOM tolerated) and groups rows into products in input order. A row with a
 * Title starts a product; a row without one continues the latest product with the same Handle.
 *
 * @example
 * const { groups, issues } = readShopifyRows(await readFile('products_export.csv', 'utf8'));
 */
export function readShopifyRows(text: string): ShopifyRows {
  const { rows, issues, skipped, fatal } = readCsvRecords(text);
  const missing = ['Handle', 'Title'].filter((column) => rows[0] !== undefined && !(column in rows[0].cells));
  for (const column of missing) issues.push({ record: 'row 1', field: column, message: 'missing column in the header' });
  if (fatal || missing.length > 0) return { groups: [], issues, skipped: [], fatal: true };
  const grouped = groupRows(rows);
  return { ...grouped, issues: [...issues, ...grouped.issues], skipped: [...skipped, ...grouped.skipped] };
}

function groupRows(rows: readonly SourceRow[]): ShopifyRows {
  const latest = new Map<string, ProductRows>();
  const groups: ProductRows[] = [];
  const issues: ImportIssue[] = [];
  const skipped: string[] = [];
  for (const row of rows) {
    if (Object.values(row.cells).every((v) => !v.trim())) continue;
    const handle = cell(row, 'Handle');
    const record = rowName(row);
    const group = latest.get(handle);
    if (!handle) {
      issues.push({ record, field: 'Handle', message: 'missing; every row needs the Handle of its product' });
      skipped.push(record);
    } else if (cell(row, 'Title') || (!group && PRODUCT_COLUMNS.some((c) => cell(row, c)))) {
      const started: ProductRows = { handle, record, rows: [row], status: cell(row, 'Status').toLowerCase(), issues: [] };
      if (!cell(row, 'Title')) started.issues.push({ record, field: 'Title', message: 'missing on the first row of the product' });
      latest.set(handle, started);
      groups.push(started);
    } else if (group) group.rows.push(row);
    else {
      const message = `continuation row (no Title) for handle "${handle}", but no row with a Title starts that product before it`;
      issues.push({ record, field: 'Handle', message });
      skipped.push(record);
    }
  }
  return { groups, issues, skipped, fatal: false };
}
