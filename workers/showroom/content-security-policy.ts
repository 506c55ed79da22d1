/**
 * The Content-Security-Policy of the showroom's HTML pages: everything from
 * this host only, plus exactly what the 3D viewer needs.
 *  - Scripts: files from this host (the viewer, the mirror's search and quote
 *    scripts; no page has an inline script), and `'wasm-unsafe-eval'` for the
 *    viewer's meshopt decoder (WebAssembly compiled from bytes in its chunk).
 *  - Styles: files from this host and the page's inline `<style>` blocks by
 *    their SHA-256, taken from the page itself, so a mirror page published
 *    before a CSS change keeps its look. No `'unsafe-inline'`: no page or
 *    rewriter emits a style attribute.
 *  - Images: this host, `data:` (mirror pages built before the /favicon.ico
 *    route link a `data:,` icon), `blob:` (three.js decodes a model's embedded
 *    textures from blob: URLs) and any https host: product
 *    photos live on the merchant's image CDNs (cdn.dummyjson.com in the fixture
 *    catalog, cdn.shopify.com for Shopify exports), the search page draws them
 *    from its index, and an image cannot run code.
 *  - `connect-src 'self' blob:`: models, manifests and the API from this host;
 *    three.js reads the blob: URLs of embedded textures with fetch().
 *  - `worker-src blob:`: the meshopt decoder's optional workers are blob: URLs.
 *
 * @example
 * app.use(contentSecurityPolicy()); // every text/html answer without a policy gets one
 * headers['content-security-policy'] = await contentSecurityPolicyFor(html); // a page that holds its HTML as a string
 */
import type { MiddlewareHandler } from 'hono';

/** The policy without `style-src`, which each page completes with the hashes of its own inline styles. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "img-src 'self' data: blob: https:",
  "connect-src 'self' blob:",
  'worker-src blob:',
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

const STYLE_RE = /<style>([\s\S]*?)<\/style>/g;
/** Hashes of the style blocks this isolate has seen: a handful (one per CSS version of published pages). */
const hashes = new Map<string, string>();
const MAX_HASHES = 16;

/** The full policy for a page: the fixed directives and `style-src` with the page's inline styles by hash. */
export async function contentSecurityPolicyFor(html: string): Promise<string> {
  const styles: string[] = [];
  for (const match of html.matchAll(STYLE_RE)) styles.push(`'sha256-${await styleHash(match[1]!)}'`);
  return `${CONTENT_SECURITY_POLICY}; ${["style-src 'self'", ...new Set(styles)].join(' ')}`;
}

/**
 * Sets the policy on every `text/html` response that has none yet. Pages set
 * their own from the HTML string they already hold (their bodies stream
 * through HTMLRewriter); other HTML (not-found, error pages) is small and read here.
 */
export function contentSecurityPolicy(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!c.res.headers.get('content-type')?.startsWith('text/html') || c.res.headers.has('content-security-policy')) return;
    c.res.headers.set('content-security-policy', await contentSecurityPolicyFor(await c.res.clone().text()));
  };
}

async function styleHash(css: string): Promise<string> {
  let hash = hashes.get(css);
  if (!hash) {
    // CSP3 hash-source: base64 of the SHA-256 of the element's text, as UTF-8.
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css)));
    hash = btoa(String.fromCharCode(...digest));
    if (hashes.size >= MAX_HASHES) hashes.clear();
    hashes.set(css, hash);
  }
  return hash;
}
