/**
 * Patches live price and stock from the origin into a pre-rendered page
 * (mirror or edge-rendered), streaming, for the SKUs the origin answered.
 * Elements of other SKUs keep their snapshot values.
 */
import type { ProductSummary } from '../../shared/catalog/product-schema.ts';
import { AVAILABILITY_LABEL, formatPrice } from '../../shared/templates/page-context.ts';

export type LiveValues = Pick<ProductSummary, 'sku' | 'price' | 'currency' | 'availability' | 'stock'>;

export function liveValues(response: Response, values: LiveValues[]): Response {
  const bySku = new Map(values.map((v) => [v.sku, v]));
  let current: LiveValues | undefined;
  return new HTMLRewriter()
    .on('[data-vitrine-price]', {
      element(el) {
        current = bySku.get(el.getAttribute('data-vitrine-price') ?? '');
        if (current) el.setAttribute('data-vitrine-live', 'true');
      },
    })
    .on('[data-vitrine-price] [data-vitrine-amount]', {
      element(el) {
        if (current) el.setInnerContent(formatPrice(current.price, current.currency));
      },
    })
    .on('[data-vitrine-stock]', {
      element(el) {
        const live = bySku.get(el.getAttribute('data-vitrine-stock') ?? '');
        if (!live) return;
        const count = live.stock !== undefined && el.hasAttribute('data-vitrine-stock-detail') ? ` (${live.stock} available)` : '';
        el.setInnerContent(`${AVAILABILITY_LABEL[live.availability]}${count}`);
        el.setAttribute('data-vitrine-live', 'true');
      },
    })
    .transform(response);
}
