import { afterAll, describe, expect, it } from 'vitest';
import { importDummyJson } from '../../../static-fallback/importers/dummyjson.ts';
import { buildSnapshot, loadCatalogFile } from '../../../static-fallback/importers/load-catalog.ts';
import { importShopifyCsv } from '../../../static-fallback/importers/shopify-csv.ts';
import { SLUG_RE } from '../../../workers/shared/catalog/product-schema.ts';
import { dummyProducts, productRow, removeTempFiles, tempFile, toCsv } from './catalog-fixtures.ts';

afterAll(removeTempFiles);

const HOSTILE_TITLE = `<script>alert("x")</script> "Quoted", 'single' & Ünïcødé 🪑 日本語 \u202Eevil`;
const LONG_TEXT = 'Lorem <b>ipsum</b> “dolor” — 🪑 '.repeat(500).slice(0, 15_000);
/** 15,000 characters of plain prose (no markup, single spaces, no surrogate pairs). */
const PLAIN_TEXT = `x${'Lorem “dolor” ünï 日本 & co. '.repeat(600)}`.slice(0, 14_999).trim().padEnd(15_000, '.');

describe('hostile text is kept as data', () => {
  const [base] = dummyProducts();
  const hostile = { ...base, title: HOSTILE_TITLE, description: LONG_TEXT, brand: 'Fish &amp; Chips' };

  it('DummyJSON keeps title, description and brand byte for byte', () => {
    const { products, issues } = importDummyJson([hostile]);
    expect(issues).toEqual([]);
    expect(LONG_TEXT).toHaveLength(15_000);
    expect(products[0]).toMatchObject({ title: HOSTILE_TITLE, description: LONG_TEXT, brand: 'Fish &amp; Chips' });
    expect(products[0]?.images[0]?.alt).toBe(HOSTILE_TITLE);
    expect(products[0]?.slug).toMatch(SLUG_RE);
    expect(products[0]?.slug.startsWith('script-alert-x-script-quoted-single-unic')).toBe(true);
  });

  it('survives a snapshot round trip unchanged', async () => {
    const { products } = importDummyJson([hostile]);
    const file = await tempFile('hostile-snapshot.json', JSON.stringify(buildSnapshot(products, { source: 'hostile' })));
    expect((await loadCatalogFile(file)).products).toEqual(products);
  });

  it('Shopify CSV keeps the Title as text and reduces the Body to text, dropping script elements', () => {
    const body = `<p>Use &lt;script&gt; safely</p><script>steal(document.cookie)</script>\n<p>${PLAIN_TEXT.replace(/&/g, '&amp;')}</p>`;
    const csv = toCsv([productRow('hostile', { Title: HOSTILE_TITLE, 'Body (HTML)': body, Vendor: '"Acme", Inc. <b>' })]);
    const { products, issues } = importShopifyCsv(csv);
    expect(issues).toEqual([]);
    expect(products[0]?.title).toBe(HOSTILE_TITLE);
    expect(products[0]?.brand).toBe('"Acme", Inc. <b>');
    expect(PLAIN_TEXT).toHaveLength(15_000);
    expect(products[0]?.description).toBe(`Use <script> safely\n${PLAIN_TEXT}`);
  });

  it('rejects text beyond the schema limits as issues, not truncation', () => {
    const { issues } = importDummyJson([{ ...base, title: 'T'.repeat(301), description: 'd'.repeat(20_001) }]);
    expect(issues.map((i) => i.field)).toEqual(['title', 'description']);
    const csv = toCsv([productRow('long', { 'Body (HTML)': `<p>${'d'.repeat(20_001)}</p>` })]);
    expect(importShopifyCsv(csv).issues).toEqual([
      { record: 'row 2 (handle long)', field: 'Body (HTML)', message: expect.stringMatching(/20000/) },
    ]);
  });

  it('treats __proto__ keys and prototype-named SKUs as plain data', () => {
    const json = `[${JSON.stringify({ ...base, sku: 'constructor' }).replace(/^\{/, '{"__proto__":{"polluted":true},')}]`;
    const { products, issues } = importDummyJson(JSON.parse(json), { models: {} });
    expect(issues).toEqual([]);
    expect(products[0]?.modelId).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names records with odd SKUs and handles safely, one issue per line', () => {
    const { issues } = importDummyJson([{ ...base, sku: 'bad\nsku', price: -1 }]);
    expect(issues[0]?.record).toBe('products[0] (sku "bad\\nsku")');
  });
});
