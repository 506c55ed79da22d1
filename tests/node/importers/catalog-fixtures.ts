/** Paths to the shared catalog fixtures, and small builders for hand-made catalogs in tests. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = fileURLToPath(new URL('../../../../shared/fixtures/catalog/', import.meta.url));
export const PRODUCTS_JSON = join(FIXTURE_DIR, 'products.json');
export const SHOPIFY_CSV = join(FIXTURE_DIR, 'shopify-products.csv');
export const MODELS_JSON = join(FIXTURE_DIR, 'models.json');

/** The fixture's DummyJSON products, freshly parsed (safe to mutate). */
export function dummyProducts(): Record<string, unknown>[] {
  return JSON.parse(readFileSync(PRODUCTS_JSON, 'utf8')) as Record<string, unknown>[];
}

/** The fixture's Shopify CSV text. */
export function shopifyCsvText(): string {
  return readFileSync(SHOPIFY_CSV, 'utf8');
}

/** The fixture's CSV header (without BOM). */
export function shopifyHeader(): string[] {
  const firstLine =
    shopifyCsvText()
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/, 1)[0] ?? '';
  return firstLine.split(',');
}

/** A valid one-variant product row; `overrides` replace cells by column name. */
export function productRow(handle: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    Handle: handle,
    Title: `Product ${handle}`,
    'Body (HTML)': '<p>Nice.</p>',
    Vendor: 'Acme',
    'Product Category': 'Furniture',
    Type: 'furniture',
    Tags: 'a, b',
    'Option1 Name': 'Title',
    'Option1 Value': 'Default Title',
    'Variant SKU': `SKU-${handle.toUpperCase()}`,
    'Variant Inventory Qty': '10',
    'Variant Price': '10.00',
    'Image Src': `https://example.com/${handle}/1.webp`,
    'Image Position': '1',
    Status: 'active',
    ...overrides,
  };
}

/** A continuation row (no Title) of `handle`. */
export function continuationRow(handle: string, cells: Record<string, string>): Record<string, string> {
  return { Handle: handle, ...cells };
}

/** Rows (by column name) → CSV text with the fixture's header, quoting every cell. */
export function toCsv(rows: readonly Record<string, string>[]): string {
  const header = shopifyHeader();
  const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
  return [header.join(','), ...rows.map((row) => header.map((column) => quote(row[column] ?? '')).join(','))].join('\r\n');
}

const tempDirs: string[] = [];

/** Writes `content` to a fresh directory under the OS temp dir; returns the file path. */
export async function tempFile(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vitrine-importers-'));
  tempDirs.push(dir);
  const path = join(dir, name);
  await writeFile(path, content, 'utf8');
  return path;
}

/** Removes every directory `tempFile` made (call from `afterAll`). */
export async function removeTempFiles(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
