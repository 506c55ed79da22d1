import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { importDummyJson } from '../../../static-fallback/importers/dummyjson.ts';
import { CatalogImportError, formatIssues } from '../../../static-fallback/importers/import-issue.ts';
import { buildSnapshot, importCatalog, loadCatalogFile } from '../../../static-fallback/importers/load-catalog.ts';
import { modelIdFromPath, readModelMap } from '../../../static-fallback/importers/models-map.ts';
import { SNAPSHOT_SCHEMA_VERSION, SnapshotSchema } from '../../../workers/shared/catalog/product-schema.ts';
import {
  dummyProducts,
  MODELS_JSON,
  PRODUCTS_JSON,
  productRow,
  removeTempFiles,
  SHOPIFY_CSV,
  tempFile,
  toCsv,
} from './catalog-fixtures.ts';

afterAll(removeTempFiles);

describe('loadCatalogFile on the fixtures', () => {
  it('imports the DummyJSON fixture strictly, with model ids from models.json', async () => {
    const { products, issues } = await loadCatalogFile(PRODUCTS_JSON, { modelsPath: MODELS_JSON });
    expect(issues).toEqual([]);
    expect(products).toHaveLength(194);
    expect(Object.fromEntries(products.filter((p) => p.modelId).map((p) => [p.sku, p.modelId]))).toEqual({
      'FUR-KNO-KNO-014': 'wickerchair',
      'SPO-BRD-TEN-152': 'tennisracquet',
      'SPO-BRD-CRI-144': 'damagedhelmet',
    });
  });

  it('imports the Shopify fixture, mapping the one modelled SKU it contains', async () => {
    const { products } = await loadCatalogFile(SHOPIFY_CSV, { modelsPath: MODELS_JSON });
    expect(products).toHaveLength(66);
    expect(products.filter((p) => p.modelId).map((p) => [p.sku, p.modelId])).toEqual([['FUR-KNO-KNO-014', 'wickerchair']]);
  });

  it('lets explicit models win over models.json', async () => {
    const { products } = await loadCatalogFile(PRODUCTS_JSON, { modelsPath: MODELS_JSON, models: { 'FUR-KNO-KNO-014': 'chair-v2' } });
    expect(products.find((p) => p.sku === 'FUR-KNO-KNO-014')?.modelId).toBe('chair-v2');
  });
});

describe('models.json', () => {
  it.each([
    ['../models/WickerChair.glb', 'wickerchair'],
    ['../models/TennisRacquet/TennisRacquet.gltf', 'tennisracquet'],
    ['C:\\models\\Damaged Helmet.v2.glb', 'damaged-helmet-v2'],
    ['plain', 'plain'],
  ])('modelIdFromPath(%j) = %j', (path, id) => {
    expect(modelIdFromPath(path)).toBe(id);
  });

  it('reads the fixture, ignoring the _comment key', async () => {
    expect(await readModelMap(MODELS_JSON)).toEqual({
      'FUR-KNO-KNO-014': 'wickerchair',
      'SPO-BRD-TEN-152': 'tennisracquet',
      'SPO-BRD-CRI-144': 'damagedhelmet',
    });
  });

  it('rejects entries that are not usable model paths, naming each', async () => {
    const file = await tempFile('models.json', JSON.stringify({ _note: 1, A: 42, B: '../models/---.glb', C: 'ok.glb' }));
    const error = (await readModelMap(file).catch((err: unknown) => err)) as CatalogImportError;
    expect(error).toBeInstanceOf(CatalogImportError);
    expect(error.issues.map((i) => i.record)).toEqual(['entry "A"', 'entry "B"']);
  });
});

describe('format detection', () => {
  it('reads JSON and CSV by content when the extension says nothing', async () => {
    const json = await tempFile('catalog.txt', JSON.stringify({ products: dummyProducts().slice(0, 2) }));
    expect((await loadCatalogFile(json)).products.map((p) => p.sku)).toEqual(['BEA-ESS-ESS-001', 'BEA-GLA-EYE-002']);
    const csv = await tempFile('export.dat', toCsv([productRow('chair')]));
    expect((await loadCatalogFile(csv)).products.map((p) => p.slug)).toEqual(['chair']);
  });

  it('importCatalog does the same for text in memory, strict by default', () => {
    expect(importCatalog(toCsv([productRow('chair')]), { file: 'x.csv', currency: 'EUR' }).products[0]?.currency).toBe('EUR');
    expect(() => importCatalog('[{"sku":"A"}]', { file: 'x.json' })).toThrow(CatalogImportError);
  });
});

describe('duplicate slugs', () => {
  const titled = (title: string, sku: string) => ({ ...dummyProducts()[0], title, sku });

  it('resolves them in input order by appending the sku', () => {
    const input = [titled('Chair', 'A-1'), titled('Chair', 'B-2'), titled('Chair!', 'C-3'), titled('Chair b 2', 'D-4')];
    const slugs = importDummyJson(input).products.map((p) => p.slug);
    expect(slugs).toEqual(['chair', 'chair-b-2', 'chair-c-3', 'chair-b-2-d-4']);
    expect(importDummyJson(input).products.map((p) => p.slug)).toEqual(slugs);
    expect(importDummyJson([...input].reverse()).products.map((p) => p.slug)).toEqual(['chair-b-2', 'chair', 'chair-b-2-2', 'chair-a-1']);
  });

  it('resolves the fixture collisions the same way every time', async () => {
    const first = await loadCatalogFile(PRODUCTS_JSON);
    const second = await loadCatalogFile(PRODUCTS_JSON);
    expect(second.products.map((p) => p.slug)).toEqual(first.products.map((p) => p.slug));
    const slugOf = (sku: string) => first.products.find((p) => p.sku === sku)?.slug;
    expect([slugOf('MEN-ROL-ROL-096'), slugOf('WOM-ROL-ROL-191')]).toEqual([
      'rolex-cellini-moonphase',
      'rolex-cellini-moonphase-wom-rol-rol-191',
    ]);
    expect([slugOf('MEN-OFF-SPO-091'), slugOf('MEN-OFF-SPO-092')]).toEqual([
      'sports-sneakers-off-white-red',
      'sports-sneakers-off-white-red-men-off-spo-092',
    ]);
  });
});

describe('Vitrine snapshots', () => {
  it('buildSnapshot returns a SnapshotSchema-valid document', () => {
    const { products } = importDummyJson(dummyProducts());
    const snapshot = buildSnapshot(products, { source: 'fixture' });
    expect(SnapshotSchema.safeParse(snapshot).success).toBe(true);
    expect(snapshot.schemaVersion).toBe(SNAPSHOT_SCHEMA_VERSION);
    expect(Math.abs(Date.parse(snapshot.generatedAt) - Date.now())).toBeLessThan(60_000);
    expect(buildSnapshot(products, { source: 'x', generatedAt: '2026-01-02T03:04:05.000Z' }).generatedAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('buildSnapshot refuses duplicates and empty catalogs with CatalogImportError', () => {
    const { products } = importDummyJson(dummyProducts().slice(0, 2));
    const dup = [products[0]!, { ...products[1]!, sku: products[0]!.sku }];
    expect(() => buildSnapshot(dup, { source: 'x' })).toThrow(/products\[1\] \(sku BEA-ESS-ESS-001\): sku: duplicate sku/);
    expect(() => buildSnapshot([], { source: 'x' })).toThrow(CatalogImportError);
  });

  it.each([
    ['DummyJSON', PRODUCTS_JSON],
    ['Shopify CSV', SHOPIFY_CSV],
  ])('round-trips the %s fixture through a snapshot file', async (_name, path) => {
    const { products } = await loadCatalogFile(path, { modelsPath: MODELS_JSON });
    const snapshot = buildSnapshot(products, { source: 'round-trip', generatedAt: '2026-11-01T00:00:00.000Z' });
    const file = await tempFile('snapshot.json', JSON.stringify(snapshot, null, 2));
    const loaded = await loadCatalogFile(file);
    expect(loaded).toEqual({ products, issues: [], skipped: [] });
    expect(buildSnapshot(loaded.products, { source: 'round-trip', generatedAt: snapshot.generatedAt })).toEqual(snapshot);
  });

  it('reports invalid snapshot products per product, and skips them on request', async () => {
    const { products } = importDummyJson(dummyProducts().slice(0, 3));
    const snapshot = JSON.parse(JSON.stringify(buildSnapshot(products, { source: 'x' })));
    snapshot.products[1].price = -1;
    snapshot.products[2].slug = snapshot.products[0].slug;
    const file = await tempFile('snapshot.json', JSON.stringify(snapshot));
    const error = (await loadCatalogFile(file).catch((err: unknown) => err)) as CatalogImportError;
    expect(error.issues.map((i) => `${i.record}: ${i.field}`)).toEqual([
      'products[1] (sku BEA-GLA-EYE-002): price',
      'products[2] (sku BEA-VEL-POW-003): slug',
    ]);
    const result = await loadCatalogFile(file, { skipInvalid: true });
    expect(result.products.map((p) => p.sku)).toEqual(['BEA-ESS-ESS-001']);
  });

  it('fails as a whole when the envelope is wrong, even with skipInvalid', async () => {
    const { products } = importDummyJson(dummyProducts().slice(0, 1));
    const file = await tempFile('snapshot.json', JSON.stringify({ ...buildSnapshot(products, { source: 'x' }), schemaVersion: 99 }));
    const error = (await loadCatalogFile(file, { skipInvalid: true }).catch((err: unknown) => err)) as CatalogImportError;
    expect(error.issues.map((i) => `${i.record}: ${i.field}`)).toEqual(['(snapshot): schemaVersion']);
  });
});

describe('formatIssues', () => {
  it('prints one issue per line, with or without a file', async () => {
    const issues = [
      { record: 'row 3 (handle bed)', field: 'Variant Price', message: 'not a number: "abc"' },
      { record: 'products[0]', field: 'title', message: 'two\nlines' },
    ];
    expect(formatIssues(issues, 'shop.csv')).toBe(
      'shop.csv: row 3 (handle bed): Variant Price: not a number: "abc"\nshop.csv: products[0]: title: two\\nlines',
    );
    expect(formatIssues(issues).split('\n')).toHaveLength(2);
    expect(new CatalogImportError(issues, 'shop.csv').message.split('\n').slice(1)).toEqual(formatIssues(issues, 'shop.csv').split('\n'));
    expect(await readFile(MODELS_JSON, 'utf8')).toContain('_comment');
  });
});
