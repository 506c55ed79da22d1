import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFile } from '../../../static-fallback/importers/load-catalog.ts';
import {
  COMPARISON_CSV_COLUMNS,
  comparisonCsvHeader,
  comparisonCsvRow,
  renderComparisonCsv,
} from '../../../static-fallback/mirror/comparison-csv.ts';
import type { Product } from '../../../workers/shared/catalog/product-schema.ts';
import { FIXTURE_CATALOG, FIXTURE_MODELS } from '../../support/fixtures.ts';

const HEADER = [
  'sku',
  'title',
  'brand',
  'category',
  'price',
  'currency',
  'compare_at_price',
  'availability',
  'stock',
  'width',
  'height',
  'depth',
  'dimension_unit',
  'weight',
  'weight_unit',
  'variants',
  'url',
];
const productUrl = (p: Product) => `https://shop.example.com/p/${p.slug}`;
const render = (list: readonly Product[]) => renderComparisonCsv(list, { productUrl });
const rowsOf = (csv: string): string[][] => parse(csv, { record_delimiter: '\r\n' });
/** Rows as column → cell, header excluded. */
const recordsOf = (csv: string): Record<string, string>[] => parse(csv, { columns: true, record_delimiter: '\r\n' });

let products: Product[];
let base: Product;
beforeAll(async () => {
  ({ products } = await loadCatalogFile(FIXTURE_CATALOG, { modelsPath: FIXTURE_MODELS }));
  base = products.find((p) => p.sku === 'BEA-ESS-ESS-001')!;
});

describe('renderComparisonCsv', () => {
  it('writes the header and one row per product, in order, with CRLF after every record', () => {
    const groceries = products.filter((p) => p.category === 'groceries');
    const csv = render(groceries);
    expect(COMPARISON_CSV_COLUMNS).toEqual(HEADER);
    expect(csv.startsWith(`${HEADER.join(',')}\r\n`)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const rows = rowsOf(csv);
    expect(rows[0]).toEqual(HEADER);
    expect(rows).toHaveLength(groceries.length + 1);
    expect(rows.slice(1).map((r) => r[0])).toEqual(groceries.map((p) => p.sku));
  });

  it('writes every field of a fixture product, numbers as plain decimals', () => {
    const [record] = recordsOf(render([base]));
    expect(record).toEqual({
      sku: 'BEA-ESS-ESS-001',
      title: 'Essence Mascara Lash Princess',
      brand: 'Essence',
      category: 'Beauty',
      price: '9.99',
      currency: 'USD',
      compare_at_price: '11.16',
      availability: 'in_stock',
      stock: '99',
      width: '15.14',
      height: '13.08',
      depth: '22.99',
      dimension_unit: 'cm',
      weight: '4',
      weight_unit: 'kg',
      variants: '0',
      url: 'https://shop.example.com/p/essence-mascara-lash-princess',
    });
    const expensive = products.find((p) => p.price >= 1000)!;
    expect(recordsOf(render([expensive]))[0]!.price).toBe(String(expensive.price));
    expect(render([{ ...base, price: 1234567.5, stock: 0 }])).toContain(',1234567.5,USD,11.16,in_stock,0,');
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and reads them back unchanged', () => {
    const title = 'Sofa, 3-seat "Deluxe"\nwith\r\nbreaks and a lone \r';
    const csv = render([{ ...base, title, brand: 'Acme, Inc.' }]);
    expect(csv).toContain('"Sofa, 3-seat ""Deluxe""\nwith\r\nbreaks and a lone \r","Acme, Inc."');
    const [record] = recordsOf(csv);
    expect(record!.title).toBe(title);
    expect(record!.brand).toBe('Acme, Inc.');
    expect(rowsOf(csv)).toHaveLength(2);
  });

  it("prefixes text cells that would start a formula with ' and leaves numbers alone", () => {
    const hostile: Product[] = [
      { ...base, title: '=HYPERLINK("http://evil.example","x")', brand: '+1+1' },
      { ...base, title: '-2+3', brand: '@SUM(A1)' },
      { ...base, title: '\tcmd', brand: '\rcmd', categoryName: '=cat' },
      { ...base, title: 'safe = text', brand: 'a-b', price: 0, stock: 0 },
    ];
    const csv = renderComparisonCsv(hostile, { productUrl: (p) => (p.title === '-2+3' ? '=evil()' : productUrl(p)) });
    const records = recordsOf(csv);
    expect(records.map((r) => [r.title, r.brand])).toEqual([
      ['\'=HYPERLINK("http://evil.example","x")', "'+1+1"],
      ["'-2+3", "'@SUM(A1)"],
      ["'\tcmd", "'\rcmd"],
      ['safe = text', 'a-b'],
    ]);
    expect(records[2]!.category).toBe("'=cat");
    expect(records[1]!.url).toBe("'=evil()");
    expect(records[3]).toMatchObject({ price: '0', stock: '0' });
  });

  it('leaves missing optional values as empty cells', () => {
    const bare: Product = {
      ...base,
      brand: undefined,
      compareAtPrice: undefined,
      stock: undefined,
      dimensions: undefined,
      weight: undefined,
      variants: [],
    };
    const csv = render([bare]);
    expect(csv.split('\r\n')[1]).toBe(
      'BEA-ESS-ESS-001,Essence Mascara Lash Princess,,Beauty,9.99,USD,,in_stock,,,,,,,,0,https://shop.example.com/p/essence-mascara-lash-princess',
    );
    const [record] = recordsOf(csv);
    for (const column of ['brand', 'compare_at_price', 'stock', 'width', 'height', 'depth', 'dimension_unit', 'weight', 'weight_unit']) {
      expect(record![column], column).toBe('');
    }
  });

  it('counts variants, keeps non-ASCII text as UTF-8, is deterministic, and writes only the header for no products', () => {
    const withVariants: Product = {
      ...base,
      title: 'Crème 日本 🎉',
      variants: [1, 2, 3].map((n) => ({ sku: `V-${n}`, title: `Size ${n}`, options: {}, price: n, availability: 'in_stock' as const })),
    };
    const csv = render([withVariants, ...products]);
    expect(recordsOf(csv)[0]).toMatchObject({ title: 'Crème 日本 🎉', variants: '3' });
    expect(render([withVariants, ...products])).toBe(csv);
    expect(render([])).toBe(`${HEADER.join(',')}\r\n`);
  });
});

describe('row by row', () => {
  it('header plus rows equals the whole CSV', () => {
    const list = products.slice(0, 20);
    expect(comparisonCsvHeader() + list.map((p) => comparisonCsvRow(p, productUrl(p))).join('')).toBe(render(list));
  });
});
