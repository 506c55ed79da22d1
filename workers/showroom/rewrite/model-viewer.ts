/**
 * Puts the 3D viewer on a product page, streaming, with HTMLRewriter: a
 * `<figure data-vitrine-model>` with the poster (shown at once, sized, with
 * alt text) at the top of the gallery, and the viewer's small entry script at
 * the end of <body>. Only pages whose product has a published model get it,
 * so a page without a model ships no viewer code. In every mode: the poster
 * is what an outage shows.
 */
import type { ModelLinks } from '../model-links.ts';
import { escapeHtml } from './escape-html.ts';

export const VIEWER_SCRIPT = '/viewer/viewer.js';
/** The poster's size as the pipeline renders it (square). */
export const POSTER_PX = 1024;

export function modelViewer(response: Response, options: { model: ModelLinks; title: string }): Response {
  const { model, title } = options;
  const figure =
    `<figure class="model-stage" data-vitrine-model="${escapeHtml(model.id)}" data-manifest="${escapeHtml(model.manifest)}">` +
    `<img class="model-poster" src="${escapeHtml(model.poster)}" width="${POSTER_PX}" height="${POSTER_PX}" alt="${escapeHtml(title)} — product view" fetchpriority="high">` +
    '<figcaption class="model-status" role="status"></figcaption></figure>';
  let placed = false;
  return new HTMLRewriter()
    .on('article.product .gallery', {
      element(el) {
        if (placed) return;
        placed = true;
        el.prepend(figure, { html: true });
      },
    })
    .on('body', {
      element(el) {
        el.onEndTag((end) => {
          if (placed) end.before(`<script type="module" src="${VIEWER_SCRIPT}"></script>`, { html: true });
        });
      },
    })
    .transform(response);
}
