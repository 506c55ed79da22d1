/** The variant rows of a Shopify product, and the product SKU they imply. */
import { SKU_RE, slugify } from '../../workers/shared/catalog/product-schema.ts';
import { cellNumber } from './cell-number.ts';
import { cell, type SourceRow } from './csv-records.ts';
import type { ImportIssue } from './import-issue.ts';
import type { ProductRows } from './shopify-rows.ts';

/** One variant as read from its row; numbers that failed to parse are `undefined` (and an issue). */
export interface VariantRow {
  row: SourceRow;
  /** `Variant SKU` as written, possibly `''`. */
  sku: string;
  title: string;
  options: Record<string, string>;
  /** Shopify's `Title: Default Title`: a product without options. */
  isDefault: boolean;
  price: number | undefined;
  compareAtPrice: number | undefined;
  stock: number | undefined;
  grams: number | undefined;
}

const OPTION_NUMBERS = [1, 2, 3] as const;

/**
 * Every row with a `Variant SKU` or a `Variant Price` is a variant; option names come from the first row.
 *
 * @example
 * readVariants(group, 'Nike Air Jordan 1', issues).map((v) => v.title); // ['40', '41', '42', '43', '44']
 */
export function readVariants(group: ProductRows, productTitle: string, issues: ImportIssue[]): VariantRow[] {
  const first = group.rows[0];
  const names = OPTION_NUMBERS.map((n) => (first ? cell(first, `Option${n} Name`) : ''));
  return group.rows
    .filter((row) => cell(row, 'Variant SKU') || cell(row, 'Variant Price'))
    .map((row) => {
      const options: Record<string, string> = {};
      OPTION_NUMBERS.forEach((n, i) => {
        const name = names[i];
        const value = cell(row, `Option${n} Value`);
        if (name && value) options[name] = value;
      });
      const values = Object.values(options);
      const isDefault = values.length === 0 || (values.length === 1 && values[0] === 'Default Title');
      return {
        row,
        sku: cell(row, 'Variant SKU'),
        title: isDefault ? productTitle : values.join(' / '),
        options: isDefault ? {} : options,
        isDefault,
        price: cellNumber(row, 'Variant Price', issues, { required: true }),
        compareAtPrice: cellNumber(row, 'Variant Compare At Price', issues),
        stock: cellNumber(row, 'Variant Inventory Qty', issues, { integer: true }),
        grams: cellNumber(row, 'Variant Grams', issues),
      };
    });
}

/**
 * The product's SKU: the only variant's SKU, else the variants' common prefix cut back to a whole `-` segment,
 * else the uppercased handle.
 *
 * @example
 * productSku('nike-air-jordan-1', variants); // 'MEN-NIK-NIK-088' for MEN-NIK-NIK-088-40 … MEN-NIK-NIK-088-44
 */
export function productSku(handle: string, variants: readonly VariantRow[]): string {
  const fallback = slugify(handle).toUpperCase().slice(0, 64).replace(/-+$/, '');
  if (variants.length === 1) return variants[0]?.sku || fallback;
  const prefix = commonSkuPrefix(variants.map((v) => v.sku).filter(Boolean));
  return SKU_RE.test(prefix) ? prefix : fallback;
}

/**
 * Longest common prefix of the SKUs, ending on a whole `-`-separated segment; `''` when there is none.
 *
 * @example
 * commonSkuPrefix(['MEN-NIK-NIK-088-40', 'MEN-NIK-NIK-088-41']); // 'MEN-NIK-NIK-088'
 * commonSkuPrefix(['TEE', 'TEE-L']); // 'TEE'
 */
export function commonSkuPrefix(skus: readonly string[]): string {
  let prefix = skus[0] ?? '';
  for (const sku of skus) while (!sku.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const wholeSegment = skus.every((sku) => sku.length === prefix.length || sku[prefix.length] === '-');
  if (!wholeSegment) prefix = prefix.slice(0, Math.max(0, prefix.lastIndexOf('-')));
  return prefix.replace(/[-_.]+$/, '');
}
