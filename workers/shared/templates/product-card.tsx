import type { ProductSummary } from '../catalog/product-schema.ts';
import { AVAILABILITY_LABEL, formatPrice, type PageContext, paths } from './page-context.ts';

/** Price with the markers the edge uses to patch live values and to mark snapshot prices. */
export function Price(props: { sku: string; price: number; currency: string; compareAtPrice?: number }) {
  return (
    <span class="price" data-vitrine-price={props.sku}>
      <span data-vitrine-amount>{formatPrice(props.price, props.currency)}</span>
      {props.compareAtPrice && props.compareAtPrice > props.price ? (
        <span class="compare">{formatPrice(props.compareAtPrice, props.currency)}</span>
      ) : null}
    </span>
  );
}

export function ProductCard(props: { ctx: PageContext; product: ProductSummary }) {
  const p = props.product;
  return (
    <li class="card" data-sku={p.sku}>
      <a href={props.ctx.link(paths.product(p))}>
        {p.image ? <img src={p.image} alt={p.title} loading="lazy" width="200" height="160" /> : null}
        <h3>{p.title}</h3>
      </a>
      <Price sku={p.sku} price={p.price} currency={p.currency} compareAtPrice={p.compareAtPrice} />
      <div class="stock" data-vitrine-stock={p.sku}>
        {AVAILABILITY_LABEL[p.availability]}
      </div>
    </li>
  );
}
