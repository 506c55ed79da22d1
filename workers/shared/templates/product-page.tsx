import type { Product } from '../catalog/product-schema.ts';
import { Layout } from './layout.tsx';
import { AVAILABILITY_LABEL, formatPrice, type PageContext, paths } from './page-context.ts';
import { Price } from './product-card.tsx';

/**
 * The product page. Commerce controls carry `data-commerce`, so the degraded
 * rewriter (and the read-only mirror) can swap them for a quote request.
 */
export function ProductPage(props: { ctx: PageContext; product: Product }) {
  const { ctx, product: p } = props;
  return (
    <Layout ctx={ctx} title={p.title} canonicalPath={paths.product(p)} description={p.description}>
      <p>
        <a href={ctx.link(paths.category(p.category))}>{p.categoryName}</a>
      </p>
      <article class="product" data-sku={p.sku}>
        <div class="gallery">
          {p.images.slice(0, 4).map((img, i) => (
            <img src={img.url} alt={img.alt ?? p.title} loading={i === 0 ? 'eager' : 'lazy'} width="420" height="420" />
          ))}
        </div>
        <div>
          <h1>{p.title}</h1>
          {p.brand ? <p>by {p.brand}</p> : null}
          <Price sku={p.sku} price={p.price} currency={p.currency} compareAtPrice={p.compareAtPrice} />
          <p class="stock" data-vitrine-stock={p.sku} data-vitrine-stock-detail>
            {AVAILABILITY_LABEL[p.availability]}
            {p.stock !== undefined ? ` (${p.stock} available)` : ''}
          </p>
          {ctx.readOnly ? (
            <p class="commerce">
              <a href={ctx.link(paths.quote(p.sku))}>Request a quote or reserve this product</a>
            </p>
          ) : (
            <form class="commerce" data-commerce="order" data-sku={p.sku} method="post" action="/api/orders">
              <input type="hidden" name="sku" value={p.sku} />
              <label>
                Quantity <input type="number" name="quantity" value="1" min="1" max="999" />
              </label>
              <button type="submit" disabled={p.availability === 'out_of_stock'}>
                Order
              </button>
            </form>
          )}
          {ctx.mirrorExtras ? (
            <p>
              <a href={ctx.link(paths.specSheet(p))}>Spec sheet (PDF)</a>
            </p>
          ) : null}
          {p.description.split(/\n+/).map((para) => (
            <p>{para}</p>
          ))}
          <Specs product={p} />
        </div>
      </article>
    </Layout>
  );
}

function Specs(props: { product: Product }) {
  const p = props.product;
  const rows: [string, string][] = [['SKU', p.sku]];
  if (p.dimensions)
    rows.push(['Dimensions', `${p.dimensions.width} × ${p.dimensions.height} × ${p.dimensions.depth} ${p.dimensions.unit}`]);
  if (p.weight) rows.push(['Weight', `${p.weight.value} ${p.weight.unit}`]);
  if (p.tags.length) rows.push(['Tags', p.tags.join(', ')]);
  return (
    <>
      <h2>Specifications</h2>
      <table>
        <tbody>
          {rows.map(([k, v]) => (
            <tr>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {p.variants.length ? (
        <>
          <h2>Variants</h2>
          <table>
            <tbody>
              {p.variants.map((v) => (
                <tr data-variant={v.sku}>
                  <td>{v.title}</td>
                  <td>{formatPrice(v.price, p.currency)}</td>
                  <td>{AVAILABILITY_LABEL[v.availability]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}
