import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, type PDFPage, PDFRawStream, PDFString } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFile } from '../../../static-fallback/importers/load-catalog.ts';
import { qrRuns } from '../../../static-fallback/mirror/qr-matrix.ts';
import { renderSpecSheetPdf, SPEC_SHEET_DEFAULTS, type SpecSheetOptions } from '../../../static-fallback/mirror/spec-sheet-pdf.ts';
import { isWinAnsi, toWinAnsi, toWinAnsiParagraphs } from '../../../static-fallback/mirror/win-ansi.ts';
import type { Product } from '../../../workers/shared/catalog/product-schema.ts';
import { FIXTURE_CATALOG, FIXTURE_MODELS } from '../../support/fixtures.ts';

const SNAPSHOT_AT = '2025-05-01T12:34:56.000Z';
const optionsFor = (p: Pick<Product, 'slug'>, over: Partial<SpecSheetOptions> = {}): SpecSheetOptions => ({
  liveUrl: `https://shop.example.com/p/${p.slug}`,
  snapshotGeneratedAt: SNAPSHOT_AT,
  siteName: SPEC_SHEET_DEFAULTS.siteName,
  ...over,
});

let products: Product[];
let base: Product;
beforeAll(async () => {
  ({ products } = await loadCatalogFile(FIXTURE_CATALOG, { modelsPath: FIXTURE_MODELS }));
  base = products.find((p) => p.sku === 'BEA-ESS-ESS-001')!;
});

const cp1252 = new TextDecoder('windows-1252');

/** The strings drawn with `Tj` on a page (pdf-lib writes them as hex), one per line. */
function pageText(page: PDFPage): string {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => page.doc.context.lookup(ref)) : [contents];
  const lines: string[] = [];
  for (const stream of streams) {
    if (!(stream instanceof PDFRawStream)) continue;
    const ops = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
    for (const m of ops.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) lines.push(cp1252.decode(Buffer.from(m[1]!, 'hex')));
  }
  return lines.join('\n');
}

/** The URIs of a page's link annotations. */
function pageLinks(page: PDFPage): string[] {
  const annots = page.node.Annots()?.asArray() ?? [];
  return annots.map((ref) => {
    const annot = page.doc.context.lookup(ref, PDFDict);
    expect(annot.get(PDFName.of('Subtype'))).toBe(PDFName.of('Link'));
    return annot.lookup(PDFName.of('A'), PDFDict).lookup(PDFName.of('URI'), PDFString).decodeText();
  });
}

async function inspect(bytes: Uint8Array) {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const pages = doc.getPages();
  return { doc, pages, text: pages.map(pageText).join('\n'), links: pages.flatMap(pageLinks), raw: Buffer.from(bytes).toString('latin1') };
}

const variants = (n: number): Product['variants'] =>
  Array.from({ length: n }, (_, i) => ({
    sku: `V-${i}`,
    title: `Option #${i}`,
    options: {},
    price: 10 + i,
    availability: 'in_stock' as const,
  }));

describe('renderSpecSheetPdf on the fixture catalog', () => {
  it('renders title, brand, SKU, category, price with its snapshot date, availability, dimensions and the live link', async () => {
    const { doc, pages, text, links, raw } = await inspect(await renderSpecSheetPdf(base, optionsFor(base)));
    expect(pages).toHaveLength(1);
    expect(pages[0]!.getSize()).toEqual({ width: 595.28, height: 841.89 });
    expect(doc.getTitle()).toBe('Essence Mascara Lash Princess');
    expect(doc.getProducer()).toBe('Vitrine');
    expect(doc.getCreator()).toBe('Vitrine static mirror');
    expect(doc.getCreationDate()?.toISOString()).toBe(SNAPSHOT_AT);
    expect(doc.getModificationDate()?.toISOString()).toBe(SNAPSHOT_AT);
    for (const s of ['Vitrine showroom', 'Essence Mascara Lash Princess', 'Essence', 'BEA-ESS-ESS-001', 'Beauty', '$9.99', '$11.16']) {
      expect(text).toContain(s);
    }
    expect(text).toContain('Price as of 2025-05-01 12:34 UTC (catalog snapshot)');
    expect(text).toContain('In stock (stock: 99)');
    expect(text).toContain('15.14 × 13.08 × 22.99 cm');
    expect(text).toContain('4 kg');
    expect(text).toContain('beauty, mascara');
    expect(text).toContain('https://shop.example.com/p/essence-mascara-lash-princess');
    expect(new Set(links)).toEqual(new Set(['https://shop.example.com/p/essence-mascara-lash-princess']));
    expect(raw).not.toMatch(/\/ID\s*\[/);
  });

  it('is byte-identical for the same input, whatever was rendered before', async () => {
    const first = await renderSpecSheetPdf(base, optionsFor(base));
    await renderSpecSheetPdf({ ...base, title: 'Something else 日本 ½', variants: variants(3) }, optionsFor(base));
    const again = await renderSpecSheetPdf(base, optionsFor(base));
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    const later = await renderSpecSheetPdf(base, optionsFor(base, { snapshotGeneratedAt: '2025-06-01T00:00:00Z' }));
    expect(Buffer.from(later).equals(Buffer.from(first))).toBe(false);
  });

  it('renders every fixture product as a valid one- or two-page PDF with its title, SKU and link', async () => {
    for (const p of products) {
      const { doc, pages, text, links } = await inspect(await renderSpecSheetPdf(p, optionsFor(p)));
      expect(pages.length, p.sku).toBeGreaterThanOrEqual(1);
      expect(pages.length, p.sku).toBeLessThanOrEqual(2);
      expect(doc.getTitle(), p.sku).toBe(p.title);
      expect(text, p.sku).toContain(p.sku);
      expect(links, p.sku).toContain(`https://shop.example.com/p/${p.slug}`);
    }
  });

  it('prints prices with the currency, shows compare-at only when higher, groups large amounts', async () => {
    const eur = await inspect(
      await renderSpecSheetPdf({ ...base, currency: 'EUR', price: 1234.5, compareAtPrice: 1000 }, optionsFor(base)),
    );
    expect(eur.text).toContain('€1,234.50');
    expect(eur.text).not.toContain('Compare at');
    const inr = await inspect(
      await renderSpecSheetPdf({ ...base, currency: 'INR', price: 1234.5, compareAtPrice: 2000 }, optionsFor(base)),
    );
    expect(inr.text).toContain('INR 1,234.50');
    expect(inr.text).toContain('INR 2,000.00');
  });
});

describe('renderSpecSheetPdf on hostile products', () => {
  const hostileTitle = '<script>alert("x")</script> “Quotes” \'single\' 🎉👨‍👩‍👧 日本語の商品 עברית العربية \u0000\u0007\u202e end';

  it('draws markup, quotes, emoji, CJK, RTL and control characters without throwing', async () => {
    const product: Product = {
      ...base,
      title: hostileTitle,
      brand: 'Łódź “Ünïcødé” 🎉',
      tags: ['新品', '=cmd', 'café'],
      categoryName: 'Beauté\u200d',
    };
    const { doc, pages, text } = await inspect(await renderSpecSheetPdf(product, optionsFor(product)));
    expect(pages).toHaveLength(1);
    // Metadata keeps Unicode; control characters become spaces, the bidi override goes.
    expect(doc.getTitle()).toBe(hostileTitle.replace('\u202e', '').replace(/\p{Cc}+/gu, ' '));
    expect(text).toContain('<script>alert("x")</script>');
    expect(text).toContain("“Quotes” 'single' ? ? ? ? end");
    expect(text).toContain('Lódz “Ünïcødé” ?');
    expect(text).toContain('?, =cmd, café');
    expect(text).toContain('Beauté');
  });

  it('keeps a 15,000-character description (with or without spaces) to two pages, ending in an ellipsis', async () => {
    for (const description of ['Lorem ipsum dolor sit amet. '.repeat(536), 'x'.repeat(15_000)]) {
      const product: Product = { ...base, description };
      const { pages, text } = await inspect(await renderSpecSheetPdf(product, optionsFor(product)));
      expect(pages).toHaveLength(2);
      expect(text).toMatch(/…\nLive product page[\s\S]*page 2 of 2$/);
      expect(text).toContain('(continued)');
    }
  });

  it('caps the variants table at 40 rows with "… and N more"', async () => {
    const product: Product = { ...base, variants: variants(55), description: 'Short.' };
    const { pages, text } = await inspect(await renderSpecSheetPdf(product, optionsFor(product)));
    expect(pages.length).toBeLessThanOrEqual(2);
    expect(text).toContain('Variants (55)');
    expect(text).toContain('Option #39');
    expect(text).not.toContain('Option #40');
    expect(text).toContain('… and 15 more');
    expect(text).toContain('$49.00');
  });

  it('leaves out what a product does not have', async () => {
    const product: Product = {
      ...base,
      brand: undefined,
      stock: undefined,
      compareAtPrice: undefined,
      dimensions: undefined,
      weight: undefined,
      tags: [],
      variants: [],
      description: '',
      images: [],
    };
    const { pages, text } = await inspect(await renderSpecSheetPdf(product, optionsFor(product)));
    expect(pages).toHaveLength(1);
    for (const absent of ['Brand', 'Compare at', 'Dimensions', 'Weight', 'Tags', 'Variants', 'Description', 'stock:']) {
      expect(text).not.toContain(absent);
    }
    expect(text).toContain('In stock');
  });

  it('links IDN and parenthesised URLs as ASCII; an unusable URL gives no link but still a PDF', async () => {
    const idn = await inspect(await renderSpecSheetPdf(base, optionsFor(base, { liveUrl: 'https://bücher.example/p/a b(1)' })));
    expect(new Set(idn.links)).toEqual(new Set(['https://xn--bcher-kva.example/p/a%20b(1)']));
    const none = await inspect(await renderSpecSheetPdf(base, optionsFor(base, { liveUrl: '' })));
    expect(none.links).toEqual([]);
    expect(none.pages).toHaveLength(1);
    await expect(renderSpecSheetPdf(base, optionsFor(base, { snapshotGeneratedAt: 'yesterday' }))).rejects.toThrow(RangeError);
  });
});

describe('qrRuns', () => {
  it('returns the module matrix as dark runs, finder patterns in the corners', () => {
    const { size, runs } = qrRuns('https://shop.example.com/p/essence-mascara-lash-princess');
    expect((size - 17) % 4).toBe(0);
    const top = runs.filter((r) => r.row === 0);
    expect(top[0]).toEqual({ row: 0, col: 0, length: 7 });
    expect(top.at(-1)).toEqual({ row: 0, col: size - 7, length: 7 });
    expect(runs.filter((r) => r.row === size - 1)[0]).toEqual({ row: size - 1, col: 0, length: 7 });
  });
});

describe('toWinAnsi', () => {
  it('keeps WinAnsi, folds accents and compatibility forms, replaces the rest with one "?" per run', () => {
    expect(toWinAnsi('Crème brûlée ½ € “q” …')).toBe('Crème brûlée ½ € “q” …');
    expect(toWinAnsi('Łódź e\u0301 ﬁ Ａ① −5 → ≥')).toBe('Lódz é fi A1 -5 -> >=');
    expect(toWinAnsi('日本語 テスト 🎉👨‍👩‍👧 שלום')).toBe('? ? ? ?');
    expect(toWinAnsi('a\u0000\tb\r\n c\u200b\ud800')).toBe('a b c?');
    expect(isWinAnsi(toWinAnsi('Ω ∑ 𝔘 \uffff'))).toBe(true);
    expect(toWinAnsiParagraphs('one\r\ntwo\n\n \n three\n\n')).toEqual(['one two', 'three']);
  });
});
