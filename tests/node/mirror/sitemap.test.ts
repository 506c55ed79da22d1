import { describe, expect, it } from 'vitest';
import { sitemapFiles } from '../../../static-fallback/mirror/sitemap.ts';

const text = (data: Uint8Array) => Buffer.from(data).toString('utf8');
const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);

describe('sitemapFiles', () => {
  it('writes one urlset while the URLs fit in one file, with escaped URLs and the lastmod', () => {
    const files = [...sitemapFiles('https://shop.example.com', ['/', '/p/a&b', '/p/<x>'], '2026-11-01')];
    expect(files.map((f) => f.sitePath)).toEqual(['/sitemap.xml']);
    const xml = text(files[0]?.data ?? new Uint8Array());
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">\n/);
    expect(locs(xml)).toEqual(['https://shop.example.com/', 'https://shop.example.com/p/a&amp;b', 'https://shop.example.com/p/&lt;x&gt;']);
    expect(xml.match(/<lastmod>2026-11-01<\/lastmod>/g)).toHaveLength(3);
    expect(xml.endsWith('</urlset>\n')).toBe(true);
  });

  it('splits at the per-file limit into numbered sitemaps under a sitemap index, keeping every URL once and in order', () => {
    const paths = Array.from({ length: 7 }, (_, i) => `/p/${i}`);
    const files = [...sitemapFiles('https://shop.example.com', paths, '2026-11-01', { urlsPerFile: 3 })];
    expect(files.map((f) => f.sitePath)).toEqual(['/sitemap.xml', '/sitemap-1.xml', '/sitemap-2.xml', '/sitemap-3.xml']);
    const index = text(files[0]?.data ?? new Uint8Array());
    expect(index).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(locs(index)).toEqual([1, 2, 3].map((n) => `https://shop.example.com/sitemap-${n}.xml`));
    const listed = files.slice(1).flatMap((f) => locs(text(f.data)));
    expect(listed).toEqual(paths.map((p) => `https://shop.example.com${p}`));
    expect(files.slice(1).map((f) => locs(text(f.data)).length)).toEqual([3, 3, 1]);
  });

  it('keeps exactly the limit in one file (50,000 by default)', () => {
    const paths = Array.from({ length: 50_000 }, (_, i) => `/p/${i}`);
    expect([...sitemapFiles('https://s.example', paths, '2026-11-01')].map((f) => f.sitePath)).toEqual(['/sitemap.xml']);
    expect([...sitemapFiles('https://s.example', [...paths, '/p/x'], '2026-11-01')].map((f) => f.sitePath)).toEqual([
      '/sitemap.xml',
      '/sitemap-1.xml',
      '/sitemap-2.xml',
    ]);
  });
});
