import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { importShopifyCsv } from '../../../static-fallback/importers/shopify-csv.ts';
import { commonSkuPrefix } from '../../../static-fallback/importers/shopify-variants.ts';
import { ProductSchema } from '../../../workers/shared/catalog/product-schema.ts';
import { continuationRow, productRow, shopifyCsvText, toCsv } from './catalog-fixtures.ts';

describe('importShopifyCsv on the fixture', () => {
  const text = shopifyCsvText();
  const result = importShopifyCsv(text);
  const bySlug = new Map(result.products.map((p) => [p.slug, p]));
  const rawRows = parse<Record<string, string>>(text, { columns: true, bom: true });

  it('imports every product without issues, each passing ProductSchema', () => {
    expect(result.issues).toEqual([]);
    expect(result.skipped).toEqual([]);
    const handles = new Set(rawRows.map((r) => r.Handle));
    const productRows = rawRows.filter((r) => r.Title);
    // 64 handles, but two handles are shared by two different products each (rolex-cellini-moonphase,
    // sports-sneakers-off-white-red): 66 rows with a Title, 66 products.
    expect(handles.size).toBe(64);
    expect(productRows).toHaveLength(66);
    expect(result.products).toHaveLength(66);
    expect(result.products.map((p) => p.sku)).toEqual(
      productRows.map((r) => (r['Option1 Name'] === 'Size' ? r['Variant SKU']!.replace(/-\d+$/, '') : r['Variant SKU'])),
    );
    for (const product of result.products) expect(ProductSchema.safeParse(product).success).toBe(true);
    expect(new Set(result.products.map((p) => p.slug)).size).toBe(66);
  });

  it('builds a multi-variant product: sizes, common-prefix sku, lowest price, summed stock', () => {
    const jordan = bySlug.get('nike-air-jordan-1-red-and-black')!;
    expect(jordan).toMatchObject({
      sku: 'MEN-NIK-NIK-088',
      title: 'Nike Air Jordan 1 Red And Black',
      brand: 'Nike',
      category: 'mens-shoes',
      categoryName: 'Mens Shoes',
      price: 149.99,
      compareAtPrice: 156.44,
      stock: 7 + 4 + 1 + 0 + 0,
      availability: 'in_stock',
      weight: { value: 3000, unit: 'g' },
      tags: ['footwear', 'athletic shoes'],
    });
    expect(jordan.variants.map((v) => [v.sku, v.title, v.options, v.price, v.stock, v.availability])).toEqual([
      ['MEN-NIK-NIK-088-40', '40', { Size: '40' }, 149.99, 7, 'in_stock'],
      ['MEN-NIK-NIK-088-41', '41', { Size: '41' }, 149.99, 4, 'low_stock'],
      ['MEN-NIK-NIK-088-42', '42', { Size: '42' }, 149.99, 1, 'low_stock'],
      ['MEN-NIK-NIK-088-43', '43', { Size: '43' }, 149.99, 0, 'out_of_stock'],
      ['MEN-NIK-NIK-088-44', '44', { Size: '44' }, 149.99, 0, 'out_of_stock'],
    ]);
  });

  it('takes every row image, in Image Position order, with its alt text', () => {
    const bed = bySlug.get('annibale-colombo-bed')!;
    expect(bed.images).toEqual(
      [1, 2, 3].map((n) => ({
        url: `https://cdn.dummyjson.com/product-images/furniture/annibale-colombo-bed/${n}.webp`,
        alt: n === 1 ? 'Annibale Colombo Bed' : `Annibale Colombo Bed view ${n}`,
      })),
    );
    expect(bySlug.get('plant-pot')?.images).toHaveLength(4);
    expect(bySlug.get('nike-air-jordan-1-red-and-black')?.images).toHaveLength(4);
    expect(result.products.filter((p) => p.images.length > 1).length).toBe(39);
  });

  it('turns Body (HTML) with newlines into plain text without tags', () => {
    const bed = bySlug.get('annibale-colombo-bed')!;
    expect(bed.description).toBe(
      'The Annibale Colombo Bed is a luxurious and elegant bed frame, crafted with high-quality materials for a comfortable and stylish bedroom.\n' +
        'Warranty: 1 year warranty\nShipping: Ships in 1 month',
    );
    for (const product of result.products) {
      expect(product.description).not.toMatch(/<[a-z/]/i);
      expect(product.description.length).toBeGreaterThan(0);
    }
    expect(bySlug.get('carbon-steel-wok')?.description).toContain('sautéing');
  });

  it('maps a "Default Title" single-variant product without a variants list', () => {
    expect(bySlug.get('annibale-colombo-bed')).toMatchObject({
      sku: 'FUR-ANN-ANN-011',
      price: 1899.99,
      compareAtPrice: 2078.08,
      stock: 88,
      variants: [],
    });
    expect(bySlug.get('carbon-steel-wok')?.brand).toBeUndefined();
  });

  it('keeps products that share a handle apart, renaming the later slug', () => {
    expect(['rolex-cellini-moonphase', 'rolex-cellini-moonphase-wom-rol-rol-191'].map((s) => bySlug.get(s)?.sku)).toEqual([
      'MEN-ROL-ROL-096',
      'WOM-ROL-ROL-191',
    ]);
    const sneakers = ['sports-sneakers-off-white-red', 'sports-sneakers-off-white-red-men-off-spo-092'].map((s) => bySlug.get(s)!);
    expect(sneakers.map((p) => [p.sku, p.price, p.variants.length])).toEqual([
      ['MEN-OFF-SPO-091', 119.99, 5],
      ['MEN-OFF-SPO-092', 109.99, 5],
    ]);
  });
});

describe('importShopifyCsv rules', () => {
  it('skips draft and archived products silently, listing them as skipped', () => {
    const csv = toCsv([
      productRow('live'),
      productRow('hidden', { Status: 'draft' }),
      continuationRow('hidden', { 'Image Src': 'https://example.com/hidden/2.webp', 'Image Position': '2' }),
      productRow('gone', { Status: 'Archived' }),
    ]);
    const result = importShopifyCsv(csv);
    expect(result.products.map((p) => p.slug)).toEqual(['live']);
    expect(result.issues).toEqual([]);
    expect(result.skipped).toEqual(['row 3 (handle hidden) (status draft)', 'row 5 (handle gone) (status archived)']);
  });

  it('takes the lowest variant price with its compare-at price, and Option names from the first row', () => {
    const csv = toCsv([
      productRow('tee', {
        'Option1 Name': 'Size',
        'Option1 Value': 'S',
        'Option2 Name': 'Color',
        'Option2 Value': 'Red',
        'Variant SKU': 'TEE-S-RED',
        'Variant Price': '20',
      }),
      continuationRow('tee', {
        'Option1 Value': 'M',
        'Option2 Value': 'Blue',
        'Variant SKU': 'TEE-M-BLUE',
        'Variant Price': '15.5',
        'Variant Compare At Price': '18',
        'Variant Inventory Qty': '2',
      }),
    ]);
    const [tee] = importShopifyCsv(csv, { currency: 'EUR' }).products;
    expect(tee).toMatchObject({ sku: 'TEE', price: 15.5, compareAtPrice: 18, stock: 12, currency: 'EUR' });
    expect(tee?.variants.map((v) => [v.title, v.options])).toEqual([
      ['S / Red', { Size: 'S', Color: 'Red' }],
      ['M / Blue', { Size: 'M', Color: 'Blue' }],
    ]);
  });

  it('deduplicates images and orders rows without a position last', () => {
    const csv = toCsv([
      productRow('lamp', { 'Image Src': 'https://example.com/a.webp', 'Image Position': '2' }),
      continuationRow('lamp', { 'Image Src': 'https://example.com/c.webp' }),
      continuationRow('lamp', { 'Image Src': 'https://example.com/b.webp', 'Image Position': '1', 'Image Alt Text': 'B' }),
      continuationRow('lamp', { 'Image Src': 'https://example.com/a.webp', 'Image Position': '3' }),
    ]);
    expect(importShopifyCsv(csv).products[0]?.images).toEqual([
      { url: 'https://example.com/b.webp', alt: 'B' },
      { url: 'https://example.com/a.webp' },
      { url: 'https://example.com/c.webp' },
    ]);
  });

  it('falls back to the uppercase handle when the variant SKUs share no whole segment', () => {
    const csv = toCsv([
      productRow('odd-socks', { 'Option1 Name': 'Size', 'Option1 Value': 'S', 'Variant SKU': 'SOCKS1' }),
      continuationRow('odd-socks', { 'Option1 Value': 'M', 'Variant SKU': 'SOCKS2', 'Variant Price': '10' }),
    ]);
    expect(importShopifyCsv(csv).products[0]?.sku).toBe('ODD-SOCKS');
  });

  it.each([
    [['MEN-NIK-NIK-088-40', 'MEN-NIK-NIK-088-41', 'MEN-NIK-NIK-088-44'], 'MEN-NIK-NIK-088'],
    [['TEE-S', 'TEE-M'], 'TEE'],
    [['TEE', 'TEE-L'], 'TEE'],
    [['CUP-10-A', 'CUP-11-A'], 'CUP'],
    [['A1', 'A2'], ''],
    [['X-1', 'Y-1'], ''],
  ])('commonSkuPrefix(%j) = %j', (skus, expected) => {
    expect(commonSkuPrefix(skus)).toBe(expected);
  });

  it('reads a CSV with a BOM, LF line ends and a blank line', () => {
    const csv = `\uFEFF${toCsv([productRow('one'), productRow('two')])
      .replace(/\r\n/g, '\n')
      .replace(/\n("two")/, '\n\n$1')}\n`;
    const result = importShopifyCsv(csv);
    expect(result.issues).toEqual([]);
    expect(result.products.map((p) => p.slug)).toEqual(['one', 'two']);
  });
});
