/** The images of a Shopify product: every row's `Image Src`, ordered by `Image Position`, each URL once. */
import { cellNumber } from './cell-number.ts';
import { cell, type SourceRow } from './csv-records.ts';
import type { ImportIssue } from './import-issue.ts';
import type { ProductRows } from './shopify-rows.ts';

/** An image and the row it came from (for issues). */
export interface ImageRow {
  image: { url: string; alt?: string };
  row: SourceRow;
}

/**
 * Images from all rows of the product: by `Image Position` (rows without one keep their order, last), deduplicated
 * by URL, `alt` from `Image Alt Text` when given.
 *
 * @example
 * readImages(group, issues).map((i) => i.image.url); // ['…/1.webp', '…/2.webp', '…/3.webp']
 */
export function readImages(group: ProductRows, issues: ImportIssue[]): ImageRow[] {
  const found = group.rows.flatMap((row, order) => {
    const url = cell(row, 'Image Src');
    if (!url) return [];
    const position = cellNumber(row, 'Image Position', issues, { integer: true }) ?? Number.MAX_SAFE_INTEGER;
    const alt = cell(row, 'Image Alt Text');
    return [{ image: alt ? { url, alt } : { url }, row, position, order }];
  });
  found.sort((a, b) => a.position - b.position || a.order - b.order);
  const seen = new Set<string>();
  return found.filter(({ image }) => !seen.has(image.url) && seen.add(image.url)).map(({ image, row }) => ({ image, row }));
}
