/**
 * The Content-Security-Policy of the showroom's HTML pages. Scripts only from
 * this host (the viewer and the mirror's search/quote scripts are files, no
 * inline script exists), plus `'wasm-unsafe-eval'` for the viewer's meshopt
 * decoder (WebAssembly), `worker-src blob:` for its optional decoding
 * workers and `connect-src blob:` for three.js reading a model's embedded
 * textures (it fetches them as blob: URLs). Inline `<style>` blocks are allowed by their SHA-256, computed from
 * the page itself: a mirror page published before a CSS change keeps its look.
 * Images may come from any https host (merchants' product photos live on their
 * image CDNs; an image cannot run code); everything else is this host only.
 *
 * @example
 * headers['content-security-policy'] = await contentSecurityPolicy(html);
 */

const FIXED = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "img-src 'self' data: blob: https:",
  "connect-src 'self' blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
];

const STYLE_RE = /<style>([\s\S]*?)<\/style>/g;
/** Hashes of style blocks seen by this isolate (a handful: one per CSS version). */
const hashes = new Map<string, string>();

export async function contentSecurityPolicy(html: string): Promise<string> {
  const styles: string[] = [];
  for (const match of html.matchAll(STYLE_RE)) styles.push(`'sha256-${await styleHash(match[1]!)}'`);
  return [...FIXED, `style-src 'self' ${styles.join(' ')}`.trimEnd()].join('; ');
}

async function styleHash(css: string): Promise<string> {
  let hash = hashes.get(css);
  if (!hash) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css)));
    hash = btoa(String.fromCharCode(...digest));
    if (hashes.size > 16) hashes.clear();
    hashes.set(css, hash);
  }
  return hash;
}
