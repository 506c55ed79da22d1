import { beforeEach, describe, expect, it } from 'vitest';
import { call, fixtureSnapshot, resetAll, seedSnapshot } from './helpers.ts';

const MASCARA = { sku: 'BEA-ESS-ESS-001', slug: 'essence-mascara-lash-princess' };

beforeEach(async () => {
  await resetAll();
  await seedSnapshot();
});

describe('every response carries source, mode and Server-Timing', () => {
  it.each(['/', '/c/beauty', `/p/${MASCARA.slug}`, '/api/products', `/api/products/${MASCARA.sku}`, '/status.json', '/nope', '/api/nope'])(
    '%s',
    async (path) => {
      const res = await call(path);
      expect(res.headers.get('x-vitrine-mode')).toBe('live');
      expect(res.headers.get('x-vitrine-source')).toMatch(/^(origin|snapshot|mirror|edge-render|edge)$/);
      expect(res.headers.get('server-timing')).toMatch(/total;dur=/);
      await res.body?.cancel();
    },
  );
});

describe('product API in live mode', () => {
  it('answers one product from the origin, in the normalized shape', async () => {
    const res = await call(`/api/products/${MASCARA.sku}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vitrine-source')).toBe('origin');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ sku: MASCARA.sku, slug: MASCARA.slug, currency: 'USD' });
    expect(body).toEqual(fixtureSnapshot().products.find((p) => p.sku === MASCARA.sku));
  });

  it('lists with paging, category and q', async () => {
    const res = await call('/api/products?category=beauty&pageSize=2&page=2');
    const body = (await res.json()) as { items: { category: string }[]; page: number; total: number; totalPages: number };
    expect(res.headers.get('x-vitrine-source')).toBe('origin');
    expect(body.page).toBe(2);
    expect(body.items).toHaveLength(2);
    expect(body.items.every((i) => i.category === 'beauty')).toBe(true);
    expect(body.totalPages).toBe(Math.ceil(body.total / 2));
  });

  it('404s an unknown sku with problem+json', async () => {
    const res = await call('/api/products/NOPE-000');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { detail: string }).detail).toContain('NOPE-000');
  });

  it.each([
    ['/api/products?pageSize=1000', 'pageSize'],
    ['/api/products?page=0', 'page'],
    ['/api/products?category=Not%20A%20Slug', 'category'],
    ['/api/products/%3Cscript%3E', 'sku'],
  ])('rejects bad input %s with a 400 naming %s', async (path, field) => {
    const res = await call(path);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { field: string; detail: string };
    expect(body.field).toBe(field);
    expect(body.detail.length).toBeGreaterThan(5);
  });
});

describe('pages', () => {
  it('renders home with every category', async () => {
    const res = await call('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vitrine-source')).toBe('edge-render');
    const html = await res.text();
    expect(html).toContain('href="/c/beauty"');
    expect(html.match(/href="\/c\/[a-z-]+"/g)?.length).toBe(24);
  });

  it('paginates a category', async () => {
    const first = await (await call('/c/beauty')).text();
    expect(first).toContain('data-sku="BEA-ESS-ESS-001"');
    const groceries = await (await call('/c/groceries')).text();
    expect(groceries).toContain('href="/c/groceries?page=2"');
    const page2 = await call('/c/groceries?page=2');
    expect(page2.status).toBe(200);
    expect(await page2.text()).toContain('rel="prev"');
    expect((await call('/c/groceries?page=99')).status).toBe(404);
  });

  it('renders a product page with live price and stock from the origin', async () => {
    const res = await call(`/p/${MASCARA.slug}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>Essence Mascara Lash Princess</h1>');
    expect(html).toContain('data-commerce="order"');
    expect(html).toMatch(/data-vitrine-price="BEA-ESS-ESS-001" data-vitrine-live="true"/);
    expect(html).not.toContain('vitrine-banner"');
  });

  it('404s unknown pages with an HTML page, not a stack trace', async () => {
    for (const path of ['/p/no-such-product', '/c/no-such-category', '/x/y']) {
      const res = await call(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('Back to the showroom');
    }
  });

  it('builds canonical URLs from the configured host, never from Host or X-Forwarded-*', async () => {
    const res = await call(`/p/${MASCARA.slug}`, { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } });
    const html = await res.text();
    expect(html).toContain(`<link rel="canonical" href="https://showroom.example.test/p/${MASCARA.slug}"/>`);
    expect(html).not.toContain('evil.example');
  });

  it('escapes catalog text', async () => {
    const doc = fixtureSnapshot();
    const product = doc.products[0]!;
    product.title = '<script>alert("x")</script> & "quotes"';
    await seedSnapshot(doc);
    const html = await (await call(`/p/${product.slug}`)).text();
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;');
  });
});
