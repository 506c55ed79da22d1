/**
 * Turns a catalog page into its read-only degraded form, streaming, with
 * HTMLRewriter: the same bytes the mirror or the edge renderer produced, plus
 *  - an outage banner (escaped text) at the top of <body>,
 *  - commerce controls (`[data-commerce]`) swapped for a quote-request form,
 *  - every price marked "as of <snapshot time>".
 */
import { escapeHtml } from './escape-html.ts';

export interface DegradedPageOptions {
  /** Shown to shoppers; plain text, escaped here. */
  bannerMessage: string;
  /** ISO time the shown prices come from. */
  snapshotGeneratedAt: string;
  /** Where the quote form posts (the outbox-backed leads endpoint). */
  quoteAction: string;
}

export const DEGRADED_PAGE_DEFAULTS: DegradedPageOptions = {
  bannerMessage:
    'Our store is in read-only mode for a moment. You can keep browsing; prices shown are from our latest catalog, and you can still ask for a quote.',
  snapshotGeneratedAt: '',
  quoteAction: '/api/leads',
};

export function degradedPage(response: Response, options: Partial<DegradedPageOptions> = {}): Response {
  const opts = { ...DEGRADED_PAGE_DEFAULTS, ...options };
  const asOf = opts.snapshotGeneratedAt ? `${opts.snapshotGeneratedAt.replace('T', ' ').slice(0, 16)} UTC` : 'our latest catalog';
  const banner = `<div class="vitrine-banner" role="status" data-vitrine-banner>${escapeHtml(opts.bannerMessage)}</div>`;
  return new HTMLRewriter()
    .on('html', {
      element(el) {
        el.setAttribute('data-vitrine-mode', 'degraded');
      },
    })
    .on('#vitrine-banner-slot', {
      element(el) {
        el.replace(banner, { html: true });
      },
    })
    .on('[data-commerce]', {
      element(el) {
        const sku = el.getAttribute('data-sku') ?? '';
        el.replace(quoteForm(opts.quoteAction, sku), { html: true });
      },
    })
    .on('[data-vitrine-price]', {
      element(el) {
        el.append(`<small class="as-of">as of ${escapeHtml(asOf)}</small>`, { html: true });
      },
    })
    .transform(response);
}

function quoteForm(action: string, sku: string): string {
  return `<form class="commerce" data-vitrine-quote method="post" action="${escapeHtml(action)}">
<input type="hidden" name="kind" value="quote"><input type="hidden" name="sku" value="${escapeHtml(sku)}">
<p><strong>Ordering is paused.</strong> Leave your details and we will send a quote as soon as we are back.</p>
<label>Name <input name="name" required autocomplete="name"></label>
<label>Email <input name="email" type="email" required autocomplete="email"></label>
<label>Message <textarea name="message" rows="3"></textarea></label>
<button type="submit">Request a quote</button></form>`;
}
