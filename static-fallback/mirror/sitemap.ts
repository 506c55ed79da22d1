/**
 * `sitemap.xml` per the sitemaps.org protocol: at most 50,000 URLs per file,
 * so a larger catalog gets a sitemap index at `/sitemap.xml` naming
 * `/sitemap-1.xml`, `/sitemap-2.xml`, … Written as bytes a line at a time:
 * 100,000 URLs never become one big string.
 *
 * @example
 * for (const file of sitemapFiles('https://shop.example.com', ['/', '/p/lamp'], '2026-11-01')) {
 *   await writeFile(`out${file.sitePath}`, file.data);
 * }
 */

export interface SitemapOptions {
  /** URLs per sitemap file; the protocol allows at most 50,000. */
  urlsPerFile: number;
}

export const SITEMAP_DEFAULTS: SitemapOptions = { urlsPerFile: 50_000 };

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The sitemap file(s) for these site paths, each `{ sitePath, data }`. */
export function* sitemapFiles(
  baseUrl: string,
  sitePaths: Iterable<string>,
  lastmod: string,
  options: Partial<SitemapOptions> = {},
): Generator<{ sitePath: string; data: Uint8Array }> {
  const { urlsPerFile } = { ...SITEMAP_DEFAULTS, ...options };
  const files: Uint8Array[] = [];
  let lines: string[] = [];
  const close = () => {
    files.push(urlset(lines.join('')));
    lines = [];
  };
  const date = xmlEscape(lastmod);
  for (const path of sitePaths) {
    if (lines.length === urlsPerFile) close();
    lines.push(`  <url><loc>${xmlEscape(baseUrl + path)}</loc><lastmod>${date}</lastmod></url>\n`);
  }
  close();
  if (files.length === 1) {
    yield { sitePath: '/sitemap.xml', data: files[0] as Uint8Array };
    return;
  }
  const index = files.map(
    (_, i) => `  <sitemap><loc>${xmlEscape(`${baseUrl}/sitemap-${i + 1}.xml`)}</loc><lastmod>${date}</lastmod></sitemap>\n`,
  );
  yield {
    sitePath: '/sitemap.xml',
    data: Buffer.from(`${HEAD}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${index.join('')}</sitemapindex>\n`),
  };
  for (const [i, data] of files.entries()) yield { sitePath: `/sitemap-${i + 1}.xml`, data };
}

function urlset(body: string): Uint8Array {
  return Buffer.from(`${HEAD}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}</urlset>\n`);
}
