import { Layout } from './layout.tsx';
import { type PageContext, paths } from './page-context.ts';

/**
 * The mirror's search page. The form submits to the page itself (`?q=`), so it
 * works as a plain form; the results are filled in by the client script from
 * the index script beside it (no fetch(), so it also works from file://).
 * Element ids are what `search-client.js` looks for.
 */
export function SearchPage(props: { ctx: PageContext; scripts: { index: string; client: string } }) {
  const { ctx, scripts } = props;
  return (
    <Layout ctx={ctx} title="Search" canonicalPath={paths.search()} description={`Search the ${ctx.siteName} catalog.`}>
      <h1>Search the catalog</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: role="search" on the form itself; the <search> element is too new for older browsers */}
      <form role="search" method="get" action={ctx.link(paths.search())}>
        <label for="search-q">Search products</label>{' '}
        <input id="search-q" type="search" name="q" autocomplete="off" maxlength={200} placeholder="Title, brand, category or SKU" />{' '}
        <button type="submit">Search</button>
      </form>
      <noscript>
        <p>
          Search needs JavaScript. You can still <a href={ctx.link(paths.home())}>browse the catalog by category</a>.
        </p>
      </noscript>
      <p id="search-status" role="status" aria-live="polite" />
      <ol id="search-results" class="search-results" />
      <script src={scripts.index} defer />
      <script src={scripts.client} defer />
    </Layout>
  );
}
