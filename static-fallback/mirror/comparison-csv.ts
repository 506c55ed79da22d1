/**
 * The comparison CSV of one category (`/c/<slug>/comparison.csv`): one row per
 * product, in the order given, for buyers who compare in a spreadsheet.
 *
 * RFC 4180 (fields with `,`, `"`, CR or LF quoted, `""` inside quotes, CRLF
 * after every record), plain numbers (`1234.5`, never `1,234.50`), empty cells
 * for missing values, and no spreadsheet formulas: a text cell starting with
 * `=`, `+`, `-`, `@`, tab or CR (or their full-width forms) gets a leading `'`
 * (OWASP CSV injection). Numeric columns are never touched. Deterministic.
 *
 * @example
 * const csv = renderComparisonCsv(products, { productUrl: (p) => `https://shop.example.com/p/${p.slug}` });
 * // 'sku,title,brand,...,url\r\nBEA-ESS-ESS-001,Essence Mascara Lash Princess,Essence,...\r\n'
 */
import { stringify } from 'csv-stringify/sync';
import type { Product } from '../../workers/shared/catalog/product-schema.ts';

/** The columns, in order; also the header row. */
export const COMPARISON_CSV_COLUMNS = [
  'sku',
  'title',
  'brand',
  'category',
  'price',
  'currency',
  'compare_at_price',
  'availability',
  'stock',
  'width',
  'height',
  'depth',
  'dimension_unit',
  'weight',
  'weight_unit',
  'variants',
  'url',
] as const;

export type ComparisonCsvColumn = (typeof COMPARISON_CSV_COLUMNS)[number];

/** One row: text, a number (written as is), or `undefined` for an empty cell. */
type Row = Record<ComparisonCsvColumn, string | number | undefined>;

/** What a comparison row needs of a product (full products and mirror listings both fit). */
export type ComparableProduct = Omit<Product, 'description'>;

export interface ComparisonCsvOptions<P extends ComparableProduct = ComparableProduct> {
  /** Absolute URL of a product's live page. */
  productUrl: (p: P) => string;
}

/**
 * Renders the comparison CSV of `products` (header row, then one row per product, CRLF line endings).
 *
 * @example
 * renderComparisonCsv([], { productUrl: (p) => p.slug });  // header row only
 */
export function renderComparisonCsv<P extends ComparableProduct>(products: readonly P[], options: ComparisonCsvOptions<P>): string {
  return stringify(
    products.map((p) => toRow(p, options.productUrl(p))),
    { ...STRINGIFY_OPTIONS, header: true },
  );
}

/**
 * The same CSV built one product at a time (the mirror streams products):
 * `comparisonCsvHeader()` once, then `comparisonCsvRow()` per product.
 * `header + rows.join('')` equals `renderComparisonCsv(products)`.
 */
export function comparisonCsvHeader(): string {
  return stringify([], { ...STRINGIFY_OPTIONS, header: true });
}

export function comparisonCsvRow(p: ComparableProduct, url: string): string {
  return stringify([toRow(p, url)], { ...STRINGIFY_OPTIONS, header: false });
}

const STRINGIFY_OPTIONS = {
  columns: [...COMPARISON_CSV_COLUMNS],
  record_delimiter: '\r\n',
  // A custom record delimiter turns this off by default; a bare LF or CR in a title must still be quoted.
  quote_record_delimiter: true,
  // OWASP: prefix `'` to text starting with = + - @ \t \r; numbers (e.g. -1) are left alone.
  escape_formulas: true,
  cast: { number: (value: number) => numberCell(value) },
};

function toRow(p: ComparableProduct, url: string): Row {
  return {
    sku: p.sku,
    title: p.title,
    brand: p.brand,
    category: p.categoryName,
    price: p.price,
    currency: p.currency,
    compare_at_price: p.compareAtPrice,
    availability: p.availability,
    stock: p.stock,
    width: p.dimensions?.width,
    height: p.dimensions?.height,
    depth: p.dimensions?.depth,
    dimension_unit: p.dimensions?.unit,
    weight: p.weight?.value,
    weight_unit: p.weight?.unit,
    variants: p.variants.length,
    url,
  };
}

/** Plain decimal, no grouping, no exponent (`1e21` → `1000000000000000000000`); non-finite → empty. */
function numberCell(value: number): string {
  if (!Number.isFinite(value)) return '';
  const plain = String(value);
  if (!/e/i.test(plain)) return plain;
  return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}
