import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogImportError } from '../../../static-fallback/importers/import-issue.ts';
import { buildMirror } from '../../../static-fallback/mirror/build-mirror.ts';
import { readManifest } from '../../../static-fallback/mirror/mirror-manifest.ts';
import { slugify } from '../../../workers/shared/catalog/product-schema.ts';
import { FIXTURE_CATALOG, FIXTURE_MODELS, FIXTURE_SHOPIFY_CSV } from '../../support/fixtures.ts';

let work: string;
let out: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'vitrine-mirror-'));
  out = join(work, 'site');
  await buildMirror({ catalog: FIXTURE_CATALOG, models: FIXTURE_MODELS, out, baseUrl: 'https://shop.example.com' });
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const htmlPages = async (dir: string) => (await readManifest(dir)).files.filter((f) => f.role === 'page');

describe('a built mirror folder', () => {
  it('has home, every category page, every product page, 404, search, quote, sitemap, robots, PDFs and CSVs', async () => {
    const manifest = await readManifest(out);
    const paths = new Set(manifest.files.map((f) => f.path));
    for (const p of [
      'index.html',
      '404.html',
      'search/index.html',
      'quote/index.html',
      'sitemap.xml',
      'robots.txt',
      'assets/search-index.js',
    ]) {
      expect(paths, p).toContain(p);
    }
    expect(manifest.products).toBe(194);
    expect(manifest.files.filter((f) => f.path.startsWith('p/') && f.path.endsWith('/index.html'))).toHaveLength(194);
    expect(manifest.files.filter((f) => f.path.endsWith('spec-sheet.pdf'))).toHaveLength(194);
    expect(manifest.files.filter((f) => f.path.endsWith('comparison.csv'))).toHaveLength(24);
    expect(paths).toContain('c/groceries/page/2/index.html');
    for (const f of manifest.files) expect(existsSync(join(out, f.path)), f.path).toBe(true);
  });

  it('every internal link and script resolves to a file in the folder; nothing loads from another host', async () => {
    const broken: string[] = [];
    for (const page of await htmlPages(out)) {
      const html = await readFile(join(out, page.path), 'utf8');
      expect(html, page.path).not.toMatch(/<link[^>]+rel="stylesheet"/);
      expect(html, page.path).not.toMatch(/<script[^>]+src="(https?:)?\/\//);
      for (const [, attr, url] of html.matchAll(/\s(href|src|action)="([^"]*)"/g)) {
        if (!url || /^(https?:|mailto:|#)/.test(url)) continue;
        if (url.startsWith('/')) broken.push(`${page.path}: absolute ${attr} ${url}`);
        const target = posix.join(posix.dirname(page.path), url.split(/[?#]/)[0]!);
        if (!existsSync(join(out, target))) broken.push(`${page.path}: ${attr}=${url}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('external URLs are only product images, canonical links and the quote endpoint', async () => {
    const hosts = new Set<string>();
    for (const page of await htmlPages(out)) {
      const html = await readFile(join(out, page.path), 'utf8');
      for (const [, url] of html.matchAll(/="(https?:\/\/[^"/]+)/g)) hosts.add(url!);
    }
    expect([...hosts].sort()).toEqual(['https://cdn.dummyjson.com', 'https://shop.example.com']);
  });

  it('is read-only: no order forms in the folder, a quote link instead; the edge rendering keeps them for the rewriter', async () => {
    const folder = await readFile(join(out, 'p/essence-mascara-lash-princess/index.html'), 'utf8');
    expect(folder).not.toContain('data-commerce');
    expect(folder).toContain('href="../../quote/index.html?sku=BEA-ESS-ESS-001"');
    expect(folder).toContain('href="spec-sheet.pdf"');
    const edgeLines = (await readFile(join(out, '_edge/pages.ndjson'), 'utf8')).trim().split('\n');
    const edge = edgeLines
      .map((l) => JSON.parse(l) as { sitePath: string; html: string })
      .find((p) => p.sitePath === '/p/essence-mascara-lash-princess')!.html;
    expect(edge).toContain('data-commerce="order"');
    expect(edge).toContain('href="/c/beauty"');
  });

  it('writes a sitemap of canonical URLs', async () => {
    const sitemap = await readFile(join(out, 'sitemap.xml'), 'utf8');
    expect(sitemap.match(/<loc>/g)).toHaveLength(1 + 24 + 194);
    expect(sitemap).toContain('<loc>https://shop.example.com/p/essence-mascara-lash-princess</loc>');
  });
});

describe('determinism and incremental builds', () => {
  it('two builds of the same catalog are byte-identical', async () => {
    const again = join(work, 'again');
    await buildMirror({ catalog: FIXTURE_CATALOG, models: FIXTURE_MODELS, out: again, baseUrl: 'https://shop.example.com' });
    const [a, b] = [await readManifest(out), await readManifest(again)];
    expect(b.siteHash).toBe(a.siteHash);
    expect(await readFile(join(again, 'manifest.json'), 'utf8')).toBe(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(await readFile(join(again, 'p/essence-mascara-lash-princess/spec-sheet.pdf'))).toEqual(
      await readFile(join(out, 'p/essence-mascara-lash-princess/spec-sheet.pdf')),
    );
  }, 120_000);

  it('a rebuild of an unchanged catalog rewrites nothing; a changed product rewrites only what shows it', async () => {
    const unchanged = await buildMirror({ catalog: FIXTURE_CATALOG, models: FIXTURE_MODELS, out, baseUrl: 'https://shop.example.com' });
    expect(unchanged.written).toBe(0);

    const catalog = JSON.parse(await readFile(FIXTURE_CATALOG, 'utf8')) as { sku: string; title: string }[];
    catalog.find((p) => p.sku === 'FUR-KNO-KNO-014')!.title = 'Knoll Saarinen Chair, renamed';
    const changedFile = join(work, 'changed.json');
    await writeFile(changedFile, JSON.stringify(catalog));
    const changed = await buildMirror({
      catalog: changedFile,
      models: FIXTURE_MODELS,
      out: join(work, 'inc'),
      baseUrl: 'https://shop.example.com',
    });
    const rebuilt = await buildMirror({
      catalog: changedFile,
      models: FIXTURE_MODELS,
      out: join(work, 'inc'),
      baseUrl: 'https://shop.example.com',
    });
    expect(changed.written).toBeGreaterThan(100);
    expect(rebuilt.written).toBe(0);
  }, 120_000);
});

describe('bad and hostile catalogs', () => {
  it('an invalid record fails the build and writes nothing', async () => {
    const catalog = JSON.parse(await readFile(FIXTURE_CATALOG, 'utf8')) as Record<string, unknown>[];
    catalog[5]!.price = 'free';
    const file = join(work, 'bad.json');
    await writeFile(file, JSON.stringify(catalog));
    const target = join(work, 'never');
    await expect(buildMirror({ catalog: file, out: target, pdf: false })).rejects.toThrow(CatalogImportError);
    expect(existsSync(target)).toBe(false);

    const skipped = await buildMirror({ catalog: file, out: target, pdf: false, skipInvalid: true });
    expect(skipped.products).toBe(193);
    expect(skipped.skipped).toHaveLength(1);
    expect(skipped.issues.join('\n')).toMatch(/products\[5\].*price/);
  }, 60_000);

  it('escapes hostile text everywhere and resolves duplicate slugs deterministically', async () => {
    const catalog = JSON.parse(await readFile(FIXTURE_CATALOG, 'utf8')) as Record<string, unknown>[];
    catalog[0]!.title = '<script>alert("x")</script> "Quoted" & ünïcødé';
    catalog[1]!.title = catalog[0]!.title;
    catalog[2]!.description = 'x'.repeat(15_000);
    delete catalog[3]!.brand;
    delete catalog[3]!.dimensions;
    const file = join(work, 'hostile.json');
    await writeFile(file, JSON.stringify(catalog));
    const dir = join(work, 'hostile');
    await buildMirror({ catalog: file, out: dir });
    const manifest = await readManifest(dir);
    const slug = slugify(catalog[0]!.title as string);
    const productPages = manifest.files.filter((f) => f.role === 'page' && f.path.startsWith(`p/${slug}`));
    expect(productPages.map((f) => f.path).sort()).toEqual([`p/${slug}-bea-gla-eye-002/index.html`, `p/${slug}/index.html`]);
    for (const page of manifest.files.filter((f) => f.role !== 'file' && f.path.endsWith('.html'))) {
      const html = await readFile(join(dir, page.path), 'utf8');
      expect(html, page.path).not.toContain('<script>alert');
    }
    expect(await readFile(join(dir, '_edge/pages.ndjson'), 'utf8')).not.toContain('<script>alert');
    const index = await readFile(join(dir, 'assets/search-index.js'), 'utf8');
    expect(index).not.toContain('</script>');
    expect(existsSync(join(dir, dirname(productPages[0]!.path), 'spec-sheet.pdf'))).toBe(true);
  }, 120_000);

  it('builds from Shopify CSV too', async () => {
    const dir = join(work, 'csv');
    const summary = await buildMirror({ catalog: FIXTURE_SHOPIFY_CSV, out: dir, pdf: false });
    expect(summary.products).toBe(66);
    expect(existsSync(join(dir, 'p/nike-air-jordan-1-red-and-black/index.html'))).toBe(true);
  }, 60_000);
});
