import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { MIRROR_POINTER_KEY, mirrorKeys } from '../../workers/shared/mirror/mirror-layout.ts';
import { MirrorPacker } from '../../workers/shared/mirror/mirror-packer.ts';
import { call, resetAll, runProbes, seedSnapshot, setFault } from './helpers.ts';

const OLD = 'm20261101t000000z-aaaaaaaaaaaa';
const NEW = 'm20261102t000000z-bbbbbbbbbbbb';
const PDF = new TextEncoder().encode('%PDF-1.7 fake spec sheet');
const PDF_HASH = 'c'.repeat(64);

const page = (
  title: string,
  sku = 'BEA-ESS-ESS-001',
) => `<!doctype html><html lang="en" data-vitrine-mode="live"><body><div id="vitrine-banner-slot"></div>
<h1>${title}</h1><span class="price" data-vitrine-price="${sku}"><span data-vitrine-amount>$1.00</span></span>
<form class="commerce" data-commerce="order" data-sku="${sku}" method="post" action="/api/orders"><button>Order</button></form></body></html>`;

/** A published mirror, packed as static-fallback's publish packs it: keys first, pointer last. */
async function publishMirrorKeys(pointerVersions: string[]) {
  const packer = new MirrorPacker(OLD, 3);
  const writes = [
    ...packer.addPage('/p/essence-mascara-lash-princess', page('Mirror page, old version')),
    ...packer.addPage('/search', page('Search')),
  ];
  packer.addFile('/p/essence-mascara-lash-princess/spec-sheet.pdf', { sha256: PDF_HASH, type: 'application/pdf', bytes: PDF.byteLength });
  for (const [key, value] of [...writes, ...packer.finish()]) await env.CATALOG_KV.put(key, value);
  await env.ASSETS_R2.put(mirrorKeys.blob(PDF_HASH), PDF);
  const versions = pointerVersions.map((version) => ({ version, publishedAt: '2026-11-02T00:00:00Z', indexBuckets: packer.indexBuckets }));
  await env.CATALOG_KV.put(MIRROR_POINTER_KEY, JSON.stringify({ versions }));
}

beforeEach(async () => {
  await resetAll();
  await seedSnapshot();
});

describe('the edge serves the published mirror', () => {
  it('serves a published page in live mode, with live prices patched in', async () => {
    await publishMirrorKeys([OLD]);
    const res = await call('/p/essence-mascara-lash-princess');
    expect(res.headers.get('x-vitrine-source')).toBe('mirror');
    expect(res.headers.get('x-vitrine-mirror-version')).toBe(OLD);
    const html = await res.text();
    expect(html).toContain('Mirror page, old version');
    expect(html).toContain('data-vitrine-live="true"');
    expect(html).toContain('data-commerce="order"');
  });

  it('serves the same page degraded: banner, quote form, prices as of the snapshot', async () => {
    await publishMirrorKeys([OLD]);
    await setFault('down');
    await runProbes(2);
    const res = await call('/p/essence-mascara-lash-princess');
    expect(res.headers.get('x-vitrine-mode')).toBe('degraded');
    expect(res.headers.get('x-vitrine-source')).toBe('mirror');
    const html = await res.text();
    expect(html).toContain('data-vitrine-banner');
    expect(html).toContain('data-vitrine-quote');
    expect(html).not.toContain('data-commerce');
    expect(html).toContain('as of 2026-11-01 00:00 UTC');
  });

  it('falls back to the previous version when the new pointer arrives before its pages', async () => {
    await publishMirrorKeys([NEW, OLD]);
    const res = await call('/p/essence-mascara-lash-princess');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vitrine-mirror-version')).toBe(OLD);
  });

  it('serves mirror-only pages and files from R2', async () => {
    await publishMirrorKeys([OLD]);
    const search = await call('/search');
    expect(search.status).toBe(200);
    expect(await search.text()).toContain('<h1>Search</h1>');
    const pdf = await call('/p/essence-mascara-lash-princess/spec-sheet.pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('etag')).toBe(`"${PDF_HASH}"`);
    expect(new Uint8Array(await pdf.arrayBuffer())).toEqual(PDF);
  });

  it('redirects folder-style links to their site paths', async () => {
    for (const [from, to] of [
      ['/p/essence-mascara-lash-princess/index.html', '/p/essence-mascara-lash-princess'],
      ['/c/groceries/page/2/index.html', '/c/groceries?page=2'],
      ['/index.html', '/'],
    ]) {
      const res = await call(from!, { redirect: 'manual' });
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe(to);
    }
  });

  it('without a mirror, pages are rendered at the edge and unknown files 404', async () => {
    expect((await call('/p/essence-mascara-lash-princess')).headers.get('x-vitrine-source')).toBe('edge-render');
    expect((await call('/p/essence-mascara-lash-princess/spec-sheet.pdf')).status).toBe(404);
    expect((await call('/search')).status).toBe(404);
  });
});
