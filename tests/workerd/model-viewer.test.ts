/**
 * The 3D viewer on product pages: injected (poster figure and entry script)
 * only for a product whose model is published, in live and degraded mode, with
 * escaped attributes; and the Content-Security-Policy on every HTML page.
 */
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../workers/showroom/content-security-policy.ts';
import { resetModelLinks } from '../../workers/showroom/model-links.ts';
import { call, fixtureSnapshot, resetAll, runProbes, SMALL_MANIFEST, seedSnapshot, setFault } from './helpers.ts';

const slugOf = (sku: string) => fixtureSnapshot().products.find((p) => p.sku === sku)!.slug as string;
const page = async (sku: string) => {
  const res = await call(`/p/${slugOf(sku)}`);
  return { res, html: await res.text() };
};

beforeEach(async () => {
  await resetAll();
  await seedSnapshot();
  await env.ASSETS_R2.delete('models/wickerchair/manifest.json');
});

describe('the viewer on product pages', () => {
  it('is absent while the model is not published, present once it is', async () => {
    const before = await page('FUR-KNO-KNO-014');
    expect(before.html).not.toContain('data-vitrine-model');
    expect(before.html).not.toContain('/viewer/viewer.js');

    await env.ASSETS_R2.put('models/wickerchair/manifest.json', JSON.stringify(SMALL_MANIFEST));
    resetModelLinks();
    const { html } = await page('FUR-KNO-KNO-014');
    expect(html).toMatch(
      /<figure class="model-stage" data-vitrine-model="wickerchair" data-manifest="\/models\/wickerchair\/manifest.json">/,
    );
    expect(html).toMatch(
      /<img class="model-poster" src="\/models\/wickerchair\/poster.webp" width="1024" height="1024" alt="[^"]+ — product view"/,
    );
    expect(html.match(/<script type="module" src="\/viewer\/viewer.js"><\/script>/g)).toHaveLength(1);
    expect(html.indexOf('data-vitrine-model')).toBeLessThan(html.indexOf('/viewer/viewer.js'));
    expect(html.indexOf('/viewer/viewer.js')).toBeLessThan(html.indexOf('</body>'));
  });

  it('is never on a product without a model', async () => {
    await env.ASSETS_R2.put('models/wickerchair/manifest.json', JSON.stringify(SMALL_MANIFEST));
    const { html } = await page('BEA-ESS-ESS-001');
    expect(html).not.toContain('data-vitrine-model');
    expect(html).not.toContain('/viewer/');
  });

  it('stays on the page while degraded: the poster is what an outage shows', async () => {
    await env.ASSETS_R2.put('models/wickerchair/manifest.json', JSON.stringify(SMALL_MANIFEST));
    await setFault('down');
    await runProbes(2);
    const { res, html } = await page('FUR-KNO-KNO-014');
    expect(res.headers.get('x-vitrine-mode')).toBe('degraded');
    expect(html).toContain('data-vitrine-banner');
    expect(html).toContain('src="/models/wickerchair/poster.webp"');
  });

  it('escapes the product title in the alt text', async () => {
    const snapshot = fixtureSnapshot();
    const chair = snapshot.products.find((p) => p.sku === 'FUR-KNO-KNO-014')!;
    chair.title = 'Chair "<script>alert(1)</script>" & co';
    await seedSnapshot(snapshot);
    await env.ASSETS_R2.put('models/wickerchair/manifest.json', JSON.stringify(SMALL_MANIFEST));
    const { html } = await page('FUR-KNO-KNO-014');
    expect(html).toContain('alt="Chair &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; co — product view"');
    expect(html).not.toContain('<script>alert(1)');
  });
});

describe('Content-Security-Policy', () => {
  it('is on every HTML page, allows the viewer and only this host, and hashes the inline style', async () => {
    for (const path of ['/', '/c/furniture', `/p/${slugOf('FUR-KNO-KNO-014')}`, '/no-such-page']) {
      const res = await call(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain(`${CONTENT_SECURITY_POLICY}; style-src 'self' 'sha256-`);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
      expect(csp).toContain("connect-src 'self' blob:;");
      expect(csp).toContain('worker-src blob:;');
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain("'unsafe-eval'");
      const html = await res.text();
      const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css)));
      expect(csp).toContain(`'sha256-${btoa(String.fromCharCode(...digest))}'`);
      expect(html).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  it('spares pages a favicon 404: an empty, cacheable answer', async () => {
    const res = await call('/favicon.ico');
    expect(res.status).toBe(204);
    expect(res.headers.get('cache-control')).toMatch(/max-age=86400/);
  });

  it('covers the viewer a product page gets, live and degraded', async () => {
    await env.ASSETS_R2.put('models/wickerchair/manifest.json', JSON.stringify(SMALL_MANIFEST));
    for (const mode of ['live', 'degraded']) {
      if (mode === 'degraded') {
        await setFault('down');
        await runProbes(2);
      }
      const { res, html } = await page('FUR-KNO-KNO-014');
      expect(res.headers.get('x-vitrine-mode')).toBe(mode);
      expect(html).toContain('<script type="module" src="/viewer/viewer.js">');
      expect(html).not.toMatch(/\sstyle=/); // no style attribute: style-src needs no 'unsafe-inline'
      expect(res.headers.get('content-security-policy')).toMatch(
        /script-src 'self' 'wasm-unsafe-eval';.*style-src 'self' 'sha256-[A-Za-z0-9+/]{43}='$/,
      );
    }
  });

  it('is not on JSON answers', async () => {
    expect((await call('/api/products/FUR-KNO-KNO-014')).headers.get('content-security-policy')).toBeNull();
  });
});
