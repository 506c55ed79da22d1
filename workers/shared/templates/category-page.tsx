import type { ProductSummary } from '../catalog/product-schema.ts';
import type { CategoryInfo } from '../snapshot/snapshot-layout.ts';
import { Layout } from './layout.tsx';
import { type PageContext, paths } from './page-context.ts';
import { ProductCard } from './product-card.tsx';

export const CATEGORY_PAGE_SIZE = 24;

export function CategoryPage(props: {
  ctx: PageContext;
  category: CategoryInfo;
  items: ProductSummary[];
  page: number;
  totalPages: number;
}) {
  const { ctx, category, page, totalPages } = props;
  return (
    <Layout ctx={ctx} title={category.name} canonicalPath={paths.category(category.slug, page)}>
      <h1>{category.name}</h1>
      <p>
        {category.count} products{totalPages > 1 ? `, page ${page} of ${totalPages}` : ''}
        {ctx.mirrorExtras ? (
          <>
            {' · '}
            <a href={ctx.link(paths.comparisonCsv(category.slug))}>Compare (CSV)</a>
          </>
        ) : null}
      </p>
      <ul class="grid">
        {props.items.map((p) => (
          <ProductCard ctx={ctx} product={p} />
        ))}
      </ul>
      {totalPages > 1 ? (
        <nav class="pages" aria-label="Pages">
          {page > 1 ? (
            <a rel="prev" href={ctx.link(paths.category(category.slug, page - 1))}>
              ← Previous
            </a>
          ) : null}
          {page < totalPages ? (
            <a rel="next" href={ctx.link(paths.category(category.slug, page + 1))}>
              Next →
            </a>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}
