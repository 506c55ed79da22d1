import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OriginHandle } from '../../../examples/origin/start-origin.ts';
import { startOrigin } from '../../../examples/origin/start-origin.ts';
import { ProductSchema, SnapshotSchema } from '../../../workers/shared/catalog/product-schema.ts';

let origin: OriginHandle;
const tempDir = mkdtempSync(join(tmpdir(), 'vitrine-origin-catalog-'));

beforeAll(async () => {
  // No products and no catalogPath: the default fixture catalog and models map.
  origin = await startOrigin({ port: 0, controlPort: 0, dbPath: ':memory:', quiet: true });
});
afterAll(async () => {
  await origin.close();
  rmSync(tempDir, { recursive: true, force: true });
});

describe('the default catalog file', () => {
  it('serves the fixture catalog, its models map applied', async () => {
    const health = (await (await fetch(`${origin.url}/healthz`)).json()) as { ok: boolean; products: number };
    expect(health.ok).toBe(true);
    expect(health.products).toBeGreaterThan(100);

    const listing = (await (await fetch(`${origin.url}/api/products?pageSize=100`)).json()) as { total: number; totalPages: number };
    expect(listing.total).toBe(health.products);
    expect(listing.totalPages).toBe(Math.ceil(health.products / 100));

    const chair = await (await fetch(`${origin.url}/api/products/FUR-KNO-KNO-014`)).json();
    const product = ProductSchema.parse(chair);
    expect(product.modelId).toBeDefined();

    const snapshot = SnapshotSchema.parse(await (await fetch(`${origin.url}/pim/export`)).json());
    expect(snapshot.products).toHaveLength(health.products);
    expect(snapshot.source).toBe('example-origin');
  });

  it('fails to start on a catalog that cannot be imported', async () => {
    const bad = join(tempDir, 'bad.json');
    writeFileSync(bad, '[{"title": 3}]');
    await expect(startOrigin({ port: 0, controlPort: 0, dbPath: ':memory:', quiet: true, catalogPath: bad })).rejects.toThrow();
  });
});
