import { Layout } from './layout.tsx';
import { type PageContext, paths } from './page-context.ts';

/** The kinds of request the quote page takes: form value → label (also the email subject). */
export const QUOTE_KINDS = {
  quote: 'Quote request',
  order: 'Order request',
  callback: 'Callback request',
} as const;

/** A `kind` value of the quote form. */
export type QuoteKind = keyof typeof QUOTE_KINDS;

/** The form fields the email fallback carries; `quote-client.js` fills the same text from the form. */
export interface QuoteMailFields {
  kind: QuoteKind;
  sku: string;
  quantity: string;
  name: string;
  phone: string;
  message: string;
}

const EMPTY_FIELDS: QuoteMailFields = { kind: 'quote', sku: '', quantity: '', name: '', phone: '', message: '' };

/**
 * A `mailto:` href with subject and body percent-encoded (RFC 6068: `%20` for
 * spaces, `%0D%0A` line breaks). `quote-client.js` builds the same text, so a
 * failed send opens the same email, filled in.
 *
 * @example
 * quoteMailto('sales@example.com', { ...fields, sku: 'A-1' }); // 'mailto:sales@example.com?subject=Quote%20request%20for%20A-1&body=SKU%3A%20A-1...'
 */
export function quoteMailto(email: string, fields: QuoteMailFields = EMPTY_FIELDS): string {
  const subject = `${QUOTE_KINDS[fields.kind]}${fields.sku ? ` for ${fields.sku}` : ''}`;
  const body = `SKU: ${fields.sku}\r\nQuantity: ${fields.quantity}\r\nName: ${fields.name}\r\nPhone: ${fields.phone}\r\n\r\n${fields.message}`;
  return `mailto:${encodeURIComponent(email).replace(/%40/g, '@')}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

/**
 * The quote / order-request page. A plain form posting to `endpoint` (works
 * without JavaScript and without the edge); `script` (quote-client.js)
 * prefills `sku` from `?sku=`, sends JSON with an idempotency key and, when
 * sending fails, makes the `mailto:` fallback the primary action. Element ids
 * are what the script looks for.
 */
export function QuotePage(props: {
  ctx: PageContext;
  endpoint: string;
  email: string;
  script: string;
  products?: { sku: string; title: string }[];
}) {
  const { ctx, endpoint, email, products } = props;
  const hasProducts = products !== undefined && products.length > 0;
  return (
    <Layout
      ctx={ctx}
      title="Request a quote"
      canonicalPath={paths.quote()}
      description={`Ask ${ctx.siteName} for a quote, an order or a call back.`}
    >
      <h1>Request a quote</h1>
      <p>Ask for a quote, send an order request or ask us to call you back. We answer by email; nothing is charged.</p>
      <form id="quote-form" class="commerce" method="post" action={endpoint}>
        <div>
          <label for="quote-kind">What do you need?</label>
          <select id="quote-kind" name="kind">
            {Object.entries(QUOTE_KINDS).map(([value, label]) => (
              <option value={value} selected={value === 'quote'}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="quote-sku">Product SKU (optional)</label>
          <input id="quote-sku" name="sku" maxlength={64} autocomplete="off" list={hasProducts ? 'quote-products' : undefined} />
          {hasProducts ? (
            <datalist id="quote-products">
              {products.map((p) => (
                <option value={p.sku}>{p.title}</option>
              ))}
            </datalist>
          ) : null}
        </div>
        <div>
          <label for="quote-quantity">Quantity (optional)</label>
          <input id="quote-quantity" name="quantity" type="number" min={1} max={100000} step={1} inputmode="numeric" />
        </div>
        <div>
          <label for="quote-name">Your name</label>
          <input id="quote-name" name="name" required maxlength={200} autocomplete="name" />
        </div>
        <div>
          <label for="quote-email">Email</label>
          <input id="quote-email" name="email" type="email" required maxlength={254} autocomplete="email" />
        </div>
        <div>
          <label for="quote-phone">Phone (optional)</label>
          <input id="quote-phone" name="phone" type="tel" maxlength={40} autocomplete="tel" />
        </div>
        <div>
          <label for="quote-message">Message (optional)</label>
          <textarea id="quote-message" name="message" rows={4} maxlength={2000} />
        </div>
        <button id="quote-submit" type="submit">
          Send request
        </button>
      </form>
      <p id="quote-status" role="status" aria-live="polite" />
      <p>
        If sending fails, email us:{' '}
        <a id="quote-mailto" href={quoteMailto(email)}>
          {email}
        </a>
      </p>
      <script src={props.script} defer />
    </Layout>
  );
}
