/**
 * The printable spec sheet of one product (A4, at most two pages) that the
 * static mirror publishes beside each product page: facts, variants, the
 * description, and on every page a QR code plus clickable link to the live
 * page, since the price on paper is only the catalog snapshot's.
 *
 * Deterministic: the same product and options give the same bytes (dates come
 * from the snapshot, fixed Producer/Creator, no document ID). Standard fonts
 * only encode WinAnsi, so every drawn string goes through `toWinAnsi` first.
 *
 * @example
 * const pdf = await renderSpecSheetPdf(product, {
 *   liveUrl: 'https://shop.example.com/p/lamp',
 *   snapshotGeneratedAt: '2025-05-01T12:00:00Z',
 *   siteName: SPEC_SHEET_DEFAULTS.siteName,
 * });
 */
import { type Color, PDFDocument, type PDFFont, type PDFOperator, type PDFPage, PDFString, rgb, StandardFonts } from 'pdf-lib';
import type { Product } from '../../workers/shared/catalog/product-schema.ts';
import { AVAILABILITY_LABEL, formatPrice } from '../../workers/shared/templates/page-context.ts';
import { qrOperators } from './qr-matrix.ts';
import { fitWidth, isWinAnsi, measurer, toWinAnsi, toWinAnsiParagraphs, wrapText } from './win-ansi.ts';

export interface SpecSheetOptions {
  /** Absolute URL of the live product page (QR code and link). */
  liveUrl: string;
  /** When the catalog snapshot was exported (ISO 8601): the "price as of" stamp and the PDF dates. */
  snapshotGeneratedAt: string;
  siteName: string;
}

/** Site name default and layout, in PDF points (1/72 inch). */
export const SPEC_SHEET_DEFAULTS = {
  siteName: 'Vitrine showroom',
  /** A4 portrait. */
  pageSize: [595.28, 841.89] as const,
  margin: 48,
  maxPages: 2,
  titleSize: 18,
  headingSize: 12,
  bodySize: 10,
  smallSize: 8,
  lineHeight: 1.4,
  labelWidth: 110,
  qrSize: 84,
  maxVariantRows: 40,
  maxDescriptionChars: 7_000,
  producer: 'Vitrine',
  creator: 'Vitrine static mirror',
} as const;

const L = SPEC_SHEET_DEFAULTS;
const [PAGE_W, PAGE_H] = L.pageSize;
const CONTENT_W = PAGE_W - 2 * L.margin;
const FOOTER_TOP = L.margin + L.qrSize + 16;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.42, 0.42, 0.45);
const LINK = rgb(0.05, 0.3, 0.7);
const RULE = rgb(0.82, 0.82, 0.85);

/**
 * Renders the spec sheet of `product` as PDF bytes.
 * @throws RangeError when `snapshotGeneratedAt` is not a date (product text never throws).
 */
export async function renderSpecSheetPdf(product: Product, options: SpecSheetOptions): Promise<Uint8Array> {
  const date = new Date(options.snapshotGeneratedAt);
  if (Number.isNaN(date.getTime())) throw new RangeError(`snapshotGeneratedAt is not a date: ${options.snapshotGeneratedAt}`);
  const stamp = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const doc = await PDFDocument.create({ updateMetadata: false });
  setMetadata(doc, product, options, date);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const title = toWinAnsi(product.title);
  const site = toWinAnsi(options.siteName);
  const text = (t: string, font = regular, size: number = L.bodySize, color: Color = INK, x: number = L.margin): Cell => ({
    t,
    font,
    size,
    color,
    x,
  });
  const continued = fitWidth(`${site} · ${title} (continued)`, CONTENT_W, measurer(regular, L.smallSize));
  const flow = new Flow(doc, text(continued, regular, L.smallSize, MUTED));

  flow.row([text(site, regular, L.smallSize, MUTED)]);
  flow.rule();
  for (const line of wrapText(title, CONTENT_W, measurer(bold, L.titleSize))) flow.row([text(line, bold, L.titleSize)]);
  flow.gap(6);
  const valueX = L.margin + L.labelWidth;
  const field = (label: string, value: string, font = regular, size: number = L.bodySize, color: Color = INK) => {
    wrapText(toWinAnsi(value), CONTENT_W - L.labelWidth, measurer(font, size)).forEach((line, i) => {
      flow.row([...(i === 0 && label ? [text(label, bold, L.bodySize, MUTED)] : []), text(line, font, size, color, valueX)]);
    });
  };
  if (product.brand) field('Brand', product.brand);
  field('SKU', product.sku);
  field('Category', product.categoryName);
  field('Price', pdfPrice(product.price, product.currency), bold, L.headingSize);
  field('', `Price as of ${stamp} (catalog snapshot)`, regular, L.smallSize, MUTED);
  if (product.compareAtPrice !== undefined && product.compareAtPrice > product.price) {
    field('Compare at', pdfPrice(product.compareAtPrice, product.currency));
  }
  const stock = product.stock === undefined ? '' : ` (stock: ${product.stock})`;
  field('Availability', `${AVAILABILITY_LABEL[product.availability] ?? product.availability}${stock}`);
  const d = product.dimensions;
  if (d) field('Dimensions', `${d.width} × ${d.height} × ${d.depth} ${d.unit} (W × H × D)`);
  if (product.weight) field('Weight', `${product.weight.value} ${product.weight.unit}`);
  if (product.tags.length > 0) field('Tags', product.tags.join(', '));

  if (product.variants.length > 0) {
    flow.gap(8);
    flow.row([text(`Variants (${product.variants.length})`, bold, L.headingSize)]);
    const cols = [L.margin, L.margin + CONTENT_W * 0.6, L.margin + CONTENT_W * 0.78] as const;
    const cell = measurer(regular, L.bodySize);
    const head = (t: string, x: number) => text(t, bold, L.smallSize, MUTED, x);
    flow.row([head('Variant', cols[0]), head('Price', cols[1]), head('Availability', cols[2])]);
    const total = product.variants.length;
    let shown = 0;
    for (const v of product.variants.slice(0, L.maxVariantRows)) {
      if (!flow.room(lineOf(L.bodySize) * (shown + 1 < total ? 2 : 1))) break;
      flow.row([
        text(fitWidth(toWinAnsi(v.title), cols[1] - cols[0] - 8, cell), regular, L.bodySize, INK, cols[0]),
        text(pdfPrice(v.price, product.currency), regular, L.bodySize, INK, cols[1]),
        text(AVAILABILITY_LABEL[v.availability] ?? toWinAnsi(v.availability), regular, L.bodySize, INK, cols[2]),
      ]);
      shown++;
    }
    if (shown < total) flow.row([text(`… and ${total - shown} more`, regular, L.bodySize, MUTED)]);
  }

  const capped = product.description.length > L.maxDescriptionChars;
  const paragraphs = toWinAnsiParagraphs(capped ? `${product.description.slice(0, L.maxDescriptionChars)}…` : product.description);
  if (paragraphs.length > 0 && flow.room(lineOf(L.headingSize) + 8 + 2 * lineOf(L.bodySize))) {
    flow.gap(8);
    flow.row([text('Description', bold, L.headingSize)]);
    const body = measurer(regular, L.bodySize);
    const lines = paragraphs.flatMap((p, i) => [...(i > 0 ? [''] : []), ...wrapText(p, CONTENT_W, body)]);
    for (const [i, line] of lines.entries()) {
      const last = i === lines.length - 1 || !flow.fits(2 * lineOf(L.bodySize));
      flow.row([text(last && i < lines.length - 1 ? fitWidth(line, CONTENT_W, body, 'always') : line)]);
      if (last) break;
    }
  }

  const href = linkHref(options.liveUrl);
  const qr = href === '' ? [] : qrOperators(href, { x: L.margin, y: L.margin, size: L.qrSize, color: INK });
  const footer = { regular, bold, href, qr, url: toWinAnsi(options.liveUrl) };
  flow.pages.forEach((page, i) => {
    drawFooter(page, footer, `${site} · catalog snapshot of ${stamp} · page ${i + 1} of ${flow.pages.length}`);
  });
  return doc.save({ useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY });
}

function setMetadata(doc: PDFDocument, product: Product, options: SpecSheetOptions, date: Date): void {
  // Unicode text is fine in metadata; control characters and bidi overrides (spoofing in title bars) are not.
  const clean = (s: string) =>
    s
      .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/\p{Cc}+/gu, ' ')
      .trim();
  doc.setTitle(clean(product.title));
  doc.setSubject(clean(`Spec sheet of ${product.sku} (${product.categoryName})`));
  doc.setAuthor(clean(options.siteName));
  doc.setKeywords(product.tags.map(clean));
  doc.setProducer(L.producer);
  doc.setCreator(L.creator);
  doc.setCreationDate(date);
  doc.setModificationDate(date);
}

/** The page template's price, or the ISO code form when the symbol is not WinAnsi (`₹` → `INR 10.00`). */
function pdfPrice(amount: number, currency: string): string {
  const formatted = formatPrice(amount, currency);
  if (isWinAnsi(formatted)) return toWinAnsi(formatted);
  try {
    return toWinAnsi(new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'code' }).format(amount));
  } catch {
    return toWinAnsi(`${amount.toFixed(2)} ${currency}`);
  }
}

interface Footer {
  regular: PDFFont;
  bold: PDFFont;
  /** Link target, `''` when the live URL is unusable (then no QR code and no link). */
  href: string;
  qr: PDFOperator[];
  url: string;
}

/** QR code, live URL (clickable) and a note, in the band below `FOOTER_TOP`. */
function drawFooter(page: PDFPage, footer: Footer, note: string): void {
  const x = L.margin + L.qrSize + 14;
  const width = PAGE_W - L.margin - x;
  page.drawLine({
    start: { x: L.margin, y: FOOTER_TOP - 6 },
    end: { x: PAGE_W - L.margin, y: FOOTER_TOP - 6 },
    thickness: 0.5,
    color: RULE,
  });
  if (footer.qr.length > 0) {
    page.pushOperators(...footer.qr);
    addLink(page, [L.margin, L.margin, L.margin + L.qrSize, L.margin + L.qrSize], footer.href);
  }
  let y = L.margin + L.qrSize - L.bodySize;
  page.drawText('Live product page: current price and availability', { x, y, size: 9, font: footer.bold, color: INK });
  y -= 15;
  const url = fitWidth(footer.url, width, measurer(footer.regular, 9));
  page.drawText(url, { x, y, size: 9, font: footer.regular, color: LINK });
  if (footer.href !== '') addLink(page, [x, y - 3, x + measurer(footer.regular, 9)(url), y + 9], footer.href);
  for (const line of wrapText(note, width, measurer(footer.regular, L.smallSize))) {
    y -= 13;
    page.drawText(line, { x, y, size: L.smallSize, font: footer.regular, color: MUTED });
  }
}

/** A link annotation (URI action) over `rect` = [x1, y1, x2, y2]. */
function addLink(page: PDFPage, rect: [number, number, number, number], href: string): void {
  const { context } = page.doc;
  const uri = PDFString.of(href.replace(/[\\()]/g, '\\$&'));
  const annot = context.obj({ Type: 'Annot', Subtype: 'Link', Rect: rect, Border: [0, 0, 0], A: { Type: 'Action', S: 'URI', URI: uri } });
  page.node.addAnnot(context.register(annot));
}

/** The live URL as an ASCII link target (IDN → punycode, spaces → %20); `''` when nothing usable is left. */
function linkHref(url: string): string {
  return URL.canParse(url) ? new URL(url).href : url.replace(/[^\x21-\x7e]/g, '');
}

const lineOf = (size: number) => size * L.lineHeight;

interface Cell {
  t: string;
  font: PDFFont;
  size: number;
  color: Color;
  x: number;
}

/** Rows of text from the top of the page down to the footer band, over at most `maxPages` pages. */
class Flow {
  readonly pages: PDFPage[] = [];
  private y = 0;

  /** `header` is drawn at the top of every page after the first. */
  constructor(
    private readonly doc: PDFDocument,
    private readonly header: Cell,
  ) {
    this.newPage();
  }

  private get page(): PDFPage {
    return this.pages[this.pages.length - 1]!;
  }

  private newPage(): void {
    this.pages.push(this.doc.addPage([PAGE_W, PAGE_H]));
    this.y = PAGE_H - L.margin;
    if (this.pages.length === 1) return;
    this.row([this.header]);
    this.rule();
  }

  /** Whether `height` points still fit, on this page or a next one. */
  fits(height: number): boolean {
    return this.y - height >= FOOTER_TOP || this.pages.length < L.maxPages;
  }

  /** Makes room for `height` points, on a new page if needed; false when the sheet is full. */
  room(height: number): boolean {
    if (this.y - height >= FOOTER_TOP) return true;
    if (this.pages.length >= L.maxPages) return false;
    this.newPage();
    return this.y - height >= FOOTER_TOP;
  }

  /** One row of cells on a shared baseline; false (nothing drawn) when the sheet is full. */
  row(cells: Cell[]): boolean {
    const height = lineOf(Math.max(...cells.map((c) => c.size)));
    if (!this.room(height)) return false;
    const baseline = this.y - height + (height - Math.max(...cells.map((c) => c.size))) / 2 + 2;
    for (const c of cells) {
      if (c.t !== '') this.page.drawText(c.t, { x: c.x, y: baseline, size: c.size, font: c.font, color: c.color });
    }
    this.y -= height;
    return true;
  }

  gap(points: number): void {
    this.y = Math.max(this.y - points, FOOTER_TOP);
  }

  rule(): void {
    this.gap(2);
    this.page.drawLine({ start: { x: L.margin, y: this.y }, end: { x: PAGE_W - L.margin, y: this.y }, thickness: 0.5, color: RULE });
    this.gap(8);
  }
}
