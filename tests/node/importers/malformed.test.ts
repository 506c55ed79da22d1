import { afterAll, describe, expect, it } from 'vitest';
import { importDummyJson } from '../../../static-fallback/importers/dummyjson.ts';
import { CatalogImportError } from '../../../static-fallback/importers/import-issue.ts';
import { loadCatalogFile } from '../../../static-fallback/importers/load-catalog.ts';
import { importShopifyCsv } from '../../../static-fallback/importers/shopify-csv.ts';
import { continuationRow, dummyProducts, productRow, removeTempFiles, tempFile, toCsv } from './catalog-fixtures.ts';

afterAll(removeTempFiles);

type Raw = Record<string, unknown>;
const base = () => dummyProducts().slice(0, 3);

describe('importDummyJson: one bad product among good ones', () => {
  it.each<[string, (p: Raw) => unknown, string, string, RegExp]>([
    ['missing title', (p) => ({ ...p, title: undefined }), 'products[1] (sku BEA-GLA-EYE-002)', 'title', /missing/],
    ['blank title', (p) => ({ ...p, title: '   ' }), 'products[1] (sku BEA-GLA-EYE-002)', 'title', /non-empty/],
    ['negative price', (p) => ({ ...p, price: -5 }), 'products[1] (sku BEA-GLA-EYE-002)', 'price', />=0|-5/],
    ['price as a string', (p) => ({ ...p, price: 'abc' }), 'products[1] (sku BEA-GLA-EYE-002)', 'price', /expected number.*"abc"/],
    [
      'bad image URL',
      (p) => ({ ...p, images: ['https://ok.test/1.webp', 'javascript:alert(1)'] }),
      'products[1] (sku BEA-GLA-EYE-002)',
      'images[1]',
      /URL/i,
    ],
    ['relative image URL', (p) => ({ ...p, images: ['/img/1.webp'] }), 'products[1] (sku BEA-GLA-EYE-002)', 'images[0]', /URL/i],
    [
      'duplicate sku',
      (p) => ({ ...p, sku: 'BEA-ESS-ESS-001' }),
      'products[1] (sku BEA-ESS-ESS-001)',
      'sku',
      /duplicate sku "BEA-ESS-ESS-001", already used by products\[0\]/,
    ],
    ['missing sku', (p) => ({ ...p, sku: undefined }), 'products[1]', 'sku', /expected string/],
    ['sku with spaces', (p) => ({ ...p, sku: 'A B' }), 'products[1] (sku "A B")', 'sku', /letters, digits/],
    [
      'discount of 100%',
      (p) => ({ ...p, discountPercentage: 100 }),
      'products[1] (sku BEA-GLA-EYE-002)',
      'discountPercentage',
      /below 100/,
    ],
    ['fractional stock', (p) => ({ ...p, stock: 2.5 }), 'products[1] (sku BEA-GLA-EYE-002)', 'stock', /expected int/],
    ['tags as a string', (p) => ({ ...p, tags: 'a,b' }), 'products[1] (sku BEA-GLA-EYE-002)', 'tags', /expected array/],
    [
      'bad updatedAt',
      (p) => ({ ...p, meta: { updatedAt: 'yesterday' } }),
      'products[1] (sku BEA-GLA-EYE-002)',
      'meta.updatedAt',
      /datetime/,
    ],
    [
      'bad dimension',
      (p) => ({ ...p, dimensions: { width: 'wide', height: 1, depth: 1 } }),
      'products[1] (sku BEA-GLA-EYE-002)',
      'dimensions.width',
      /number/,
    ],
    ['weight as a string', (p) => ({ ...p, weight: '4kg' }), 'products[1] (sku BEA-GLA-EYE-002)', 'weight', /number/],
    ['not an object', () => 42, 'products[1]', '(record)', /object/],
  ])('%s', (_name, spoil, record, field, message) => {
    const products: unknown[] = base();
    products[1] = spoil(products[1] as Raw);
    const result = importDummyJson(products);
    expect(result.issues).toEqual([{ record, field, message: expect.stringMatching(message) }]);
    expect(result.skipped).toEqual([record]);
    expect(result.products.map((p) => p.sku)).toEqual(['BEA-ESS-ESS-001', 'BEA-VEL-POW-003']);
  });

  it('reports each bad field of one product once', () => {
    const [p] = base();
    const result = importDummyJson([{ ...p, title: 42, price: 'abc', images: ['nope'], category: '' }]);
    expect(result.issues.map((i) => i.field)).toEqual(['title', 'category', 'price', 'images[0]']);
  });
});

const multiLineRow = productRow('first', { 'Body (HTML)': '<p>Line one</p>\n<p>Line two</p>\n<ul><li>x</li></ul>' });

describe('importShopifyCsv: malformed rows (row numbers count records, the header is row 1)', () => {
  // [case, rows between a valid multi-line first row (row 2) and a valid last row, issue record, field, message, skipped record]
  it.each<[string, Record<string, string>[], string, string, RegExp, string?]>([
    [
      'non-numeric Variant Price',
      [productRow('bad', { 'Variant Price': 'abc' })],
      'row 3 (handle bad)',
      'Variant Price',
      /not a number: "abc"/,
    ],
    ['price with a currency sign', [productRow('bad', { 'Variant Price': '$10' })], 'row 3 (handle bad)', 'Variant Price', /not a number/],
    [
      'negative Inventory Qty',
      [productRow('bad', { 'Variant Inventory Qty': '-3' })],
      'row 3 (handle bad)',
      'Variant Inventory Qty',
      /negative/,
    ],
    [
      'bad price on a continuation (variant) row',
      [
        productRow('bad', { 'Option1 Name': 'Size', 'Option1 Value': 'S' }),
        continuationRow('bad', { 'Option1 Value': 'M', 'Variant SKU': 'BAD-M', 'Variant Price': '1,5' }),
      ],
      'row 4 (handle bad)',
      'Variant Price',
      /not a number: "1,5"/,
      'row 3 (handle bad)',
    ],
    [
      'orphan continuation row',
      [continuationRow('ghost', { 'Image Src': 'https://example.com/g.webp' })],
      'row 3 (handle ghost)',
      'Handle',
      /no row with a Title/,
    ],
    ['missing Title on the first row', [productRow('bad', { Title: '' })], 'row 3 (handle bad)', 'Title', /missing on the first row/],
    ['missing Handle', [productRow('', {})], 'row 3', 'Handle', /missing/],
    [
      'bad Image Src on a continuation row',
      [productRow('bad'), continuationRow('bad', { 'Image Src': 'not a url', 'Image Position': '2' })],
      'row 4 (handle bad)',
      'Image Src',
      /URL/i,
      'row 3 (handle bad)',
    ],
    ['variant SKU with spaces', [productRow('bad', { 'Variant SKU': 'BAD SKU' })], 'row 3 (handle bad)', 'Variant SKU', /letters, digits/],
    [
      'duplicate SKU',
      [productRow('bad', { 'Variant SKU': 'SKU-FIRST' })],
      'row 3 (handle bad)',
      'Variant SKU',
      /duplicate sku "SKU-FIRST", already used by row 2/,
    ],
    ['no Type nor Product Category', [productRow('bad', { Type: '', 'Product Category': '' })], 'row 3 (handle bad)', 'Type', /missing/],
  ])('%s', (_name, rows, record, field, message, skipped = record) => {
    const result = importShopifyCsv(toCsv([multiLineRow, ...rows, productRow('last')]));
    expect(result.issues).toEqual([{ record, field, message: expect.stringMatching(message) }]);
    expect(result.skipped).toEqual([skipped]);
    expect(result.products.map((p) => p.slug)).toEqual(['first', 'last']);
  });

  it('reports a row with the wrong number of cells and keeps the others', () => {
    const csv = toCsv([multiLineRow, productRow('last')]).replace(/\r\n"last"/, '\r\n"short","row"\r\n"last"');
    const result = importShopifyCsv(csv);
    expect(result.issues).toEqual([{ record: 'row 3', field: expect.any(String), message: 'has 2 cells, the header has 33' }]);
    expect(result.products.map((p) => p.slug)).toEqual(['first', 'last']);
  });

  it('reports a stray quote inside a cell, naming the row and column', () => {
    const csv = toCsv([multiLineRow, productRow('bad'), productRow('last')]).replace('"Product bad"', '"Product "bad" "');
    const result = importShopifyCsv(csv);
    expect(result.issues).toEqual([{ record: 'row 3', field: 'Title', message: expect.stringMatching(/quote/i) }]);
    expect(result.products.map((p) => p.slug)).toEqual(['first', 'last']);
  });

  it('counts rows correctly after identical bad rows and blank lines', () => {
    const bad = productRow('bad', { 'Variant Price': 'x' });
    const csv = toCsv([multiLineRow, bad, productRow('last')])
      .replace('"Product bad"', '"Product "bad" "')
      .replace(/\r\n("last")/, '\r\n\r\n$1');
    const doubled = csv.replace(/\r\n("bad".*?)\r\n/, '\r\n$1\r\n$1\r\n');
    const result = importShopifyCsv(doubled);
    expect(result.issues.map((i) => i.record)).toEqual(['row 3', 'row 4']);
    expect(importShopifyCsv(`${doubled}\r\n"late","Late","","","Furniture","furniture"`).issues.at(-1)?.record).toBe('row 7');
  });

  it('treats an unterminated quote as fatal: nothing is imported', () => {
    const csv = `${toCsv([multiLineRow, productRow('bad')]).replace(/"active"$/, '"active')}\r\n`;
    const result = importShopifyCsv(csv);
    expect(result.products).toEqual([]);
    expect(result.issues).toEqual([{ record: 'row 3', field: 'Status', message: expect.stringMatching(/never closed/) }]);
  });

  it('reports a CSV without Handle or Title columns', () => {
    const result = importShopifyCsv('Name,Price\r\nChair,10\r\n');
    expect(result.products).toEqual([]);
    expect(result.issues.map((i) => [i.record, i.field])).toEqual([
      ['row 1', 'Handle'],
      ['row 1', 'Title'],
    ]);
  });
});

describe('loadCatalogFile strictness', () => {
  const badCsv = () =>
    toCsv([
      multiLineRow,
      productRow('price', { 'Variant Price': 'abc' }),
      productRow('qty', { 'Variant Inventory Qty': '-1' }),
      continuationRow('ghost', { 'Image Src': 'https://example.com/g.webp' }),
      productRow('last'),
    ]);

  it('throws CatalogImportError listing every issue, one per line', async () => {
    const file = await tempFile('bad.csv', badCsv());
    const error = await loadCatalogFile(file).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CatalogImportError);
    const { issues, message, name, file: errorFile } = error as CatalogImportError;
    expect(name).toBe('CatalogImportError');
    expect(errorFile).toBe(file);
    expect(issues.map((i) => `${i.record}: ${i.field}`)).toEqual([
      'row 3 (handle price): Variant Price',
      'row 4 (handle qty): Variant Inventory Qty',
      'row 5 (handle ghost): Handle',
    ]);
    const lines = message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines).toContain(`${file}: row 3 (handle price): Variant Price: not a number: "abc"`);
    expect(lines).toContain(`${file}: row 4 (handle qty): Variant Inventory Qty: must not be negative (got -1)`);
  });

  it('with skipInvalid returns the valid products, the issues and the skipped records', async () => {
    const file = await tempFile('bad.csv', badCsv());
    const result = await loadCatalogFile(file, { skipInvalid: true });
    expect(result.products.map((p) => p.slug)).toEqual(['first', 'last']);
    expect(result.issues).toHaveLength(3);
    expect([...result.skipped].sort()).toEqual(['row 3 (handle price)', 'row 4 (handle qty)', 'row 5 (handle ghost)']);
  });

  it('does the same for DummyJSON', async () => {
    const products: Raw[] = base();
    products[0] = { ...products[0], price: 'abc' };
    products[2] = { ...products[2], images: ['ftp://example.com/x.png'] };
    const file = await tempFile('bad.json', JSON.stringify(products));
    const error = (await loadCatalogFile(file).catch((err: unknown) => err)) as CatalogImportError;
    expect(error.issues.map((i) => `${i.record}: ${i.field}`)).toEqual([
      'products[0] (sku BEA-ESS-ESS-001): price',
      'products[2] (sku BEA-VEL-POW-003): images[0]',
    ]);
    const { products: kept, skipped } = await loadCatalogFile(file, { skipInvalid: true });
    expect(kept.map((p) => p.sku)).toEqual(['BEA-GLA-EYE-002']);
    expect(skipped).toEqual(['products[0] (sku BEA-ESS-ESS-001)', 'products[2] (sku BEA-VEL-POW-003)']);
  });

  it('throws even with skipInvalid when nothing is valid or the file is unreadable as a whole', async () => {
    const broken = await tempFile('broken.json', '[{"sku": ');
    await expect(loadCatalogFile(broken, { skipInvalid: true })).rejects.toThrow(/broken\.json: \(file\): \(json\): /);
    const allBad = await tempFile('all-bad.json', JSON.stringify([{ sku: 'X' }]));
    await expect(loadCatalogFile(allBad, { skipInvalid: true })).rejects.toBeInstanceOf(CatalogImportError);
  });
});
