/** Which Shopify CSV row and column a product field came from, so schema issues name what to fix. */
import type { SourceRow } from './csv-records.ts';
import type { ImageRow } from './shopify-images.ts';
import { rowName } from './shopify-rows.ts';
import type { VariantRow } from './shopify-variants.ts';
import type { IssueLocator } from './validate-product.ts';
import { formatPath } from './validate-product.ts';

/** Product fields → the column they come from (on the product's first row). */
const COLUMN: Record<string, string> = {
  slug: 'Handle',
  title: 'Title',
  description: 'Body (HTML)',
  brand: 'Vendor',
  currency: 'currency (import option)',
  stock: 'Variant Inventory Qty',
  availability: 'Variant Inventory Qty',
  tags: 'Tags',
  modelId: 'Variant SKU (models)',
};
const VARIANT_COLUMN: Record<string, string> = {
  sku: 'Variant SKU',
  price: 'Variant Price',
  compareAtPrice: 'Variant Compare At Price',
  stock: 'Variant Inventory Qty',
};

/** What a product was built from. */
export interface ShopifySources {
  /** The product's first row, readably. */
  record: string;
  firstRow: Record<string, string>;
  images: readonly ImageRow[];
  variants: readonly VariantRow[];
  /** The variant whose price became the product price. */
  cheapest: VariantRow | undefined;
  /** The variant whose grams became the product weight. */
  weighed: VariantRow | undefined;
  categoryColumn: 'Type' | 'Product Category';
  taxonomy: string;
}

/**
 * Maps a `ProductSchema` path to the row and column behind it: `['variants', 2, 'price']` → the third variant's
 * row, `Variant Price`; `['images', 0, 'url']` → that image's row, `Image Src`.
 *
 * @example
 * validateProduct(candidate, shopifyLocator({ record, firstRow, images, variants, cheapest, weighed, categoryColumn, taxonomy }));
 */
export function shopifyLocator(src: ShopifySources): IssueLocator {
  const at = (row: SourceRow | undefined, field: string) => ({ record: row ? rowName(row) : src.record, field });
  return (path) => {
    const [head, index, leaf] = path;
    if (head === 'images' && typeof index === 'number') return at(src.images[index]?.row, leaf === 'alt' ? 'Image Alt Text' : 'Image Src');
    if (head === 'variants' && typeof index === 'number') return at(src.variants[index]?.row, variantColumn(leaf, src.firstRow));
    if (head === 'price') return at((src.cheapest ?? src.variants[0])?.row, 'Variant Price');
    if (head === 'compareAtPrice') return at((src.cheapest ?? src.variants[0])?.row, 'Variant Compare At Price');
    if (head === 'sku') return at(src.variants.length === 1 ? src.variants[0]?.row : undefined, 'Variant SKU');
    if (head === 'weight') return at(src.weighed?.row, 'Variant Grams');
    if (head === 'category') return at(undefined, src.categoryColumn);
    if (head === 'categoryName') return at(undefined, src.taxonomy ? 'Product Category' : 'Type');
    return at(undefined, (typeof head === 'string' ? COLUMN[head] : undefined) ?? formatPath(path));
  };
}

/** `options.Size` → the `OptionN Value` column whose name is `Size`. */
function variantColumn(leaf: PropertyKey | undefined, firstRow: Record<string, string>): string {
  if (typeof leaf === 'string' && VARIANT_COLUMN[leaf]) return VARIANT_COLUMN[leaf];
  const n = [1, 2, 3].find((i) => firstRow[`Option${i} Name`]?.trim() === leaf) ?? 1;
  return `Option${n} Value`;
}
