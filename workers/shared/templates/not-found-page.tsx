import { Layout } from './layout.tsx';
import type { PageContext } from './page-context.ts';

export function NotFoundPage(props: { ctx: PageContext; title?: string; message?: string }) {
  return (
    <Layout ctx={props.ctx} title={props.title ?? 'Not found'} canonicalPath="/404">
      <h1>{props.title ?? 'We could not find that page'}</h1>
      <p>{props.message ?? 'It may have moved, or it is no longer in the catalog.'}</p>
      <p>
        <a href={props.ctx.link('/')}>Back to the showroom</a>
      </p>
    </Layout>
  );
}
