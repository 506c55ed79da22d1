import type { ProductSummary } from '../catalog/product-schema.ts';
import type { CategoryInfo } from '../snapshot/snapshot-layout.ts';
import { Layout } from './layout.tsx';
import { type PageContext, paths } from './page-context.ts';
import { ProductCard } from './product-card.tsx';

export function HomePage(props: { ctx: PageContext; categories: CategoryInfo[]; featured: ProductSummary[] }) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title="Showroom" canonicalPath="/">
      <h1>Browse the showroom</h1>
      <h2>Categories</h2>
      <ul class="categories">
        {props.categories.map((c) => (
          <li>
            <a href={ctx.link(paths.category(c.slug))}>{c.name}</a> ({c.count})
          </li>
        ))}
      </ul>
      <h2>Featured</h2>
      <ul class="grid">
        {props.featured.map((p) => (
          <ProductCard ctx={ctx} product={p} />
        ))}
      </ul>
    </Layout>
  );
}
