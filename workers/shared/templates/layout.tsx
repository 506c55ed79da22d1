import type { Child } from 'hono/jsx';
import type { PageContext } from './page-context.ts';

/** Inline styles: pages must work with no other request (edge, mirror, file://). */
const CSS = `
:root{--ink:#1d1d1f;--muted:#6e6e73;--line:#e5e5ea;--accent:#0b5cad;--warn:#fff4ce;--warn-ink:#5c4400}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--ink)}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 16px}header{display:flex;gap:16px;align-items:center;padding:16px}
header a.brand{font-weight:700;font-size:1.25rem;color:inherit;text-decoration:none}a{color:var(--accent)}
.vitrine-banner{background:var(--warn);color:var(--warn-ink);border-bottom:1px solid #e0c97a;padding:10px 16px;text-align:center}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:16px;padding:0;list-style:none}
.card{border:1px solid var(--line);border-radius:10px;padding:12px}.card img{width:100%;height:160px;object-fit:contain}
.card a{text-decoration:none;color:inherit}.price{font-weight:600}.compare{color:var(--muted);text-decoration:line-through;margin-left:6px}
.as-of{display:block;font-size:.8rem;color:var(--muted);font-weight:400}.stock{font-size:.9rem;color:var(--muted)}
.product{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:32px}@media(max-width:760px){.product{grid-template-columns:1fr}}
.gallery img{width:100%;max-height:420px;object-fit:contain;border:1px solid var(--line);border-radius:10px}
.commerce{border:1px solid var(--line);border-radius:10px;padding:16px;margin:16px 0}.commerce button{padding:10px 18px;font-size:1rem}
.commerce input,.commerce textarea{display:block;width:100%;margin:4px 0 10px;padding:8px}
table{border-collapse:collapse}td,th{border-bottom:1px solid var(--line);padding:4px 12px 4px 0;text-align:left}
nav.pages{display:flex;gap:12px;margin:24px 0}footer{color:var(--muted);font-size:.85rem;padding:32px 16px}
.categories{columns:3 200px;padding-left:18px}
.model-stage{position:relative;margin:0 0 16px;aspect-ratio:1/1;border:1px solid var(--line);border-radius:10px;overflow:hidden;background:#fafafa}
.gallery .model-stage img.model-poster{width:100%;height:100%;max-height:none;object-fit:contain;border:0;border-radius:0;display:block}
.model-stage canvas{position:absolute;inset:0;width:100%;height:100%;touch-action:none}.model-stage canvas:focus-visible{outline:3px solid var(--accent);outline-offset:-3px}
.model-stage[data-state="3d"] img.model-poster{opacity:0}.model-status{position:absolute;left:8px;bottom:8px;margin:0;font-size:.85rem;color:var(--muted)}
.model-retry{font:inherit;padding:2px 10px;border:1px solid var(--accent);border-radius:6px;background:#fff;color:var(--accent);cursor:pointer}
@media(prefers-reduced-motion:no-preference){.model-stage canvas{animation:model-in .3s ease-out}.model-stage img.model-poster{transition:opacity .3s}}
@keyframes model-in{from{opacity:0}}
`;

export function Layout(props: { ctx: PageContext; title: string; canonicalPath: string; description?: string; children?: Child }) {
  const { ctx } = props;
  return (
    <html lang="en" data-vitrine-mode="live">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${ctx.siteName}`}</title>
        {props.description ? <meta name="description" content={props.description.slice(0, 160)} /> : null}
        <link rel="canonical" href={`${ctx.canonicalOrigin}${props.canonicalPath}`} />
        <style>{CSS}</style>
      </head>
      <body>
        <div id="vitrine-banner-slot" />
        <header>
          <a class="brand" href={ctx.link('/')}>
            {ctx.siteName}
          </a>
          {ctx.mirrorExtras ? (
            <>
              <a href={ctx.link('/search')}>Search</a>
              <a href={ctx.link('/quote')}>Request a quote</a>
            </>
          ) : null}
        </header>
        <main>{props.children}</main>
        <footer>
          Catalog data as of <time datetime={ctx.snapshotGeneratedAt}>{ctx.snapshotGeneratedAt.replace('T', ' ').slice(0, 16)} UTC</time>.
        </footer>
      </body>
    </html>
  );
}
