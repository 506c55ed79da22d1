import { describe, expect, it } from 'vitest';
import { importDummyJson } from '../../../static-fallback/importers/dummyjson.ts';
import { ProductSchema } from '../../../workers/shared/catalog/product-schema.ts';
import { dummyProducts } from './catalog-fixtures.ts';

describe('importDummyJson on the fixture', () => {
  const result = importDummyJson(dummyProducts());
  const bySku = new Map(result.products.map((p) => [p.sku, p]));

  it('imports all 194 products without issues, each passing ProductSchema', () => {
    expect(result.issues).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.products).toHaveLength(194);
    for (const product of result.products) expect(ProductSchema.safeParse(product).success).toBe(true);
  });

  it('gives unique slugs and skus, and finds 24 categories', () => {
    expect(new Set(result.products.map((p) => p.slug)).size).toBe(194);
    expect(new Set(result.products.map((p) => p.sku)).size).toBe(194);
    expect(new Set(result.products.map((p) => p.category)).size).toBe(24);
  });

  it('maps the DummyJSON fields', () => {
    const mascara = bySku.get('BEA-ESS-ESS-001')!;
    expect(mascara).toMatchObject({
      slug: 'essence-mascara-lash-princess',
      title: 'Essence Mascara Lash Princess',
      category: 'beauty',
      categoryName: 'Beauty',
      brand: 'Essence',
      price: 9.99,
      currency: 'USD',
      compareAtPrice: 11.16, // 9.99 / (1 - 0.1048)
      availability: 'in_stock',
      stock: 99,
      dimensions: { width: 15.14, height: 13.08, depth: 22.99, unit: 'cm' },
      weight: { value: 4, unit: 'kg' },
      tags: ['beauty', 'mascara'],
      updatedAt: '2025-04-30T09:41:02.053Z',
      variants: [],
    });
    expect(mascara.images).toEqual([
      { url: 'https://cdn.dummyjson.com/product-images/beauty/essence-mascara-lash-princess/1.webp', alt: 'Essence Mascara Lash Princess' },
    ]);
    expect(mascara.modelId).toBeUndefined();
  });

  it('title-cases multi-word categories', () => {
    const shoes = result.products.find((p) => p.category === 'mens-shoes')!;
    expect(shoes.categoryName).toBe('Mens Shoes');
    expect(result.products.find((p) => p.category === 'home-decoration')?.categoryName).toBe('Home Decoration');
  });

  it('leaves brand out when the source has none', () => {
    const unbranded = dummyProducts().filter((p) => p.brand === undefined);
    expect(unbranded.length).toBeGreaterThan(0);
    for (const raw of unbranded) expect(bySku.get(raw.sku as string)?.brand).toBeUndefined();
  });

  it('takes availability from availabilityStatus, even where it disagrees with the stock rule', () => {
    for (const raw of dummyProducts()) {
      const expected = { 'In Stock': 'in_stock', 'Low Stock': 'low_stock', 'Out of Stock': 'out_of_stock' }[
        raw.availabilityStatus as string
      ];
      expect(bySku.get(raw.sku as string)?.availability).toBe(expected);
    }
    // The fixture marks products[14] "Low Stock" with 7 in stock; the stock rule alone would say in_stock.
    expect(bySku.get('FUR-BAT-WOO-015')).toMatchObject({ stock: 7, availability: 'low_stock' });
  });
});

describe('importDummyJson options and shapes', () => {
  const two = () => dummyProducts().slice(0, 2);

  it('accepts { products: [...] } as well as the bare array', () => {
    const wrapped = importDummyJson({ products: two(), total: 2, skip: 0, limit: 2 });
    expect(wrapped.products.map((p) => p.sku)).toEqual(importDummyJson(two()).products.map((p) => p.sku));
  });

  it('uses the currency and models options', () => {
    const { products } = importDummyJson(two(), { currency: 'EUR', models: { 'BEA-GLA-EYE-002': 'palette' } });
    expect(products.map((p) => [p.currency, p.modelId])).toEqual([
      ['EUR', undefined],
      ['EUR', 'palette'],
    ]);
  });

  it('falls back to the stock rule when availabilityStatus is missing or unknown', () => {
    const [a, b, c] = two().concat(dummyProducts().slice(2, 3));
    Object.assign(a!, { availabilityStatus: undefined, stock: 3 });
    Object.assign(b!, { availabilityStatus: 'Ask us', stock: 0 });
    Object.assign(c!, { availabilityStatus: 'pre-order', stock: 0 });
    expect(importDummyJson([a, b, c]).products.map((p) => p.availability)).toEqual(['low_stock', 'out_of_stock', 'preorder']);
  });

  it('has no compareAtPrice without a discount', () => {
    const [a] = two();
    Object.assign(a!, { discountPercentage: 0 });
    expect(importDummyJson([a]).products[0]?.compareAtPrice).toBeUndefined();
  });

  it('reports a document that is not a product list', () => {
    expect(importDummyJson({ items: [] }).issues).toEqual([
      { record: '(document)', field: 'products', message: expect.stringContaining('expected an array') },
    ]);
  });
});
