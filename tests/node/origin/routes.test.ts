import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OriginHandle } from '../../../examples/origin/start-origin.ts';
import { ProductSchema, SnapshotSchema, toSummary } from '../../../workers/shared/catalog/product-schema.ts';
import { makeProduct, makeProducts, startTestOrigin } from './origin-harness.ts';

let origin: OriginHandle;

beforeAll(async () => {
  origin = await startTestOrigin();
});
afterAll(async () => {
  await origin.close();
});

async function expectProblem(res: Response, status: number, detail: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['detail', 'status', 'title', 'type']);
  expect(body.type).toBe('about:blank');
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe('string');
  expect(body.detail).toMatch(detail);
}

describe('GET /healthz', () => {
  it('answers ok with the product count', async () => {
    const res = await fetch(`${origin.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, products: 40 });
  });
});

describe('GET /api/products', () => {
  it('pages with defaults (page 1, 24 per page) in input order', async () => {
    const body = (await (await fetch(`${origin.url}/api/products`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ page: 1, pageSize: 24, total: 40, totalPages: 2 });
    const items = body.items as { sku: string }[];
    expect(items.map((i) => i.sku)).toEqual(makeProducts(24).map((p) => p.sku));
    expect(items[0]).toEqual(JSON.parse(JSON.stringify(toSummary(makeProduct(0)))));
  });

  it('serves later pages and empty pages beyond the end', async () => {
    const page2 = (await (await fetch(`${origin.url}/api/products?page=2&pageSize=24`)).json()) as { items: { sku: string }[] };
    expect(page2.items.map((i) => i.sku)).toEqual(
      makeProducts(40)
        .slice(24)
        .map((p) => p.sku),
    );
    const page9 = (await (await fetch(`${origin.url}/api/products?page=9&pageSize=10`)).json()) as Record<string, unknown>;
    expect(page9).toEqual({ items: [], page: 9, pageSize: 10, total: 40, totalPages: 4 });
  });

  it('filters by category', async () => {
    const body = (await (await fetch(`${origin.url}/api/products?category=chairs&pageSize=100`)).json()) as {
      items: { sku: string; category: string }[];
      total: number;
    };
    expect(body.total).toBe(14);
    expect(body.items.every((i) => i.category === 'chairs')).toBe(true);
  });

  it('searches title, brand, description and tags case-insensitively', async () => {
    const search = async (q: string, extra = '') => {
      const body = (await (await fetch(`${origin.url}/api/products?q=${encodeURIComponent(q)}${extra}&pageSize=100`)).json()) as {
        items: { sku: string }[];
      };
      return body.items.map((i) => i.sku);
    };
    expect(await search('TEST PRODUCT 012')).toEqual(['TST-012']);
    expect(await search('acme')).toEqual(
      makeProducts(40)
        .filter((p) => p.brand === 'Acme')
        .map((p) => p.sku),
    );
    expect(await search('GLOWS')).toHaveLength(20);
    expect(await search('featured')).toEqual(['TST-007']);
    expect(await search('glows', '&category=chairs')).toEqual([
      'TST-003',
      'TST-009',
      'TST-015',
      'TST-021',
      'TST-027',
      'TST-033',
      'TST-039',
    ]);
    expect(await search('no such thing')).toEqual([]);
  });

  it.each([
    ['pageSize=0', /pageSize/],
    ['pageSize=101', /pageSize/],
    ['pageSize=abc', /pageSize/],
    ['page=0', /page must/],
    ['page=-1', /page must/],
    ['page=1.5', /page must/],
  ])('rejects %s with 400 problem+json', async (query, detail) => {
    await expectProblem(await fetch(`${origin.url}/api/products?${query}`), 400, detail);
  });
});

describe('GET /api/products/:sku', () => {
  it('answers the product, exactly in the ProductSchema shape', async () => {
    const res = await fetch(`${origin.url}/api/products/TST-005`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual(JSON.parse(JSON.stringify(ProductSchema.parse(makeProduct(5)))));
    expect(ProductSchema.strict().parse(body)).toEqual(body);
  });

  it('answers 404 problem+json for an unknown sku', async () => {
    await expectProblem(await fetch(`${origin.url}/api/products/NOPE-1`), 404, /NOPE-1/);
  });
});

describe('GET /pim/export', () => {
  it('answers a valid snapshot from example-origin, stable across calls', async () => {
    const first = (await (await fetch(`${origin.url}/pim/export`)).json()) as Record<string, unknown>;
    const snapshot = SnapshotSchema.parse(first);
    expect(snapshot.source).toBe('example-origin');
    expect(snapshot.products.map((p) => p.sku)).toEqual(makeProducts(40).map((p) => p.sku));
    await new Promise((r) => setTimeout(r, 5));
    const second = (await (await fetch(`${origin.url}/pim/export`)).json()) as Record<string, unknown>;
    expect(second.generatedAt).toBe(first.generatedAt);
    expect(Date.parse(snapshot.generatedAt)).toBeLessThanOrEqual(Date.now());
  });
});

describe('unknown routes', () => {
  it('answers 404 problem+json', async () => {
    await expectProblem(await fetch(`${origin.url}/nope`), 404, /GET \/nope/);
    await expectProblem(await fetch(`${origin.url}/api/products`, { method: 'DELETE' }), 404, /DELETE/);
  });
});

describe('products given directly', () => {
  it('refuses invalid products and duplicate skus', async () => {
    await expect(startTestOrigin({ products: [{ ...makeProduct(1), sku: 'bad sku' }] })).rejects.toThrow(/products\[0\]/);
    await expect(startTestOrigin({ products: [makeProduct(1), makeProduct(1)] })).rejects.toThrow(/duplicate sku/);
  });
});
