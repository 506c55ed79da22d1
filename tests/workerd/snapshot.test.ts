import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { POINTER_KEY, type SnapshotPointer, snapshotKeys } from '../../workers/shared/snapshot/snapshot-layout.ts';
import { refreshSnapshot } from '../../workers/showroom/refresh-snapshot.ts';
import { resetSnapshotReader } from '../../workers/showroom/snapshot-access.ts';
import { call, fixtureSnapshot, resetAll, seedSnapshot, setFault } from './helpers.ts';

const SKU = 'BEA-ESS-ESS-001';
const pointer = async () => (await env.CATALOG_KV.get<SnapshotPointer>(POINTER_KEY, 'json'))!;

async function snapshotPrice(): Promise<number> {
  await setFault('down', { path: '/api' });
  resetSnapshotReader();
  const res = await call(`/api/products/${SKU}`);
  expect(res.headers.get('x-vitrine-source')).toBe('snapshot');
  return ((await res.json()) as { price: number }).price;
}

function withPrice(price: number, generatedAt: string) {
  const doc = fixtureSnapshot();
  doc.generatedAt = generatedAt;
  doc.products.find((p) => p.sku === SKU)!.price = price;
  return doc;
}

beforeEach(resetAll);

describe('versioned snapshots with one pointer', () => {
  it('flips the pointer only after the new version is written', async () => {
    const first = await seedSnapshot(withPrice(1, '2026-11-01T00:00:00Z'));
    const second = await seedSnapshot(withPrice(2, '2026-11-02T00:00:00Z'));
    expect(second.version).not.toBe(first.version);
    expect((await pointer()).versions.map((v) => v.version)).toEqual([second.version, first.version]);
    expect(await env.ASSETS_R2.head(snapshotKeys.document(second.version))).not.toBeNull();
    expect(await snapshotPrice()).toBe(2);
  });

  it('a location that sees the pointer before the keys falls back to the previous version', async () => {
    const first = await seedSnapshot(withPrice(1, '2026-11-01T00:00:00Z'));
    const p = await pointer();
    const ghost = { ...p.versions[0]!, version: 'v20261103t000000z-000000000000' };
    await env.CATALOG_KV.put(POINTER_KEY, JSON.stringify({ versions: [ghost, ...p.versions] }));
    expect(await snapshotPrice()).toBe(1);
    const page = await call('/p/essence-mascara-lash-princess');
    expect(page.status).toBe(200);
    expect(first.published).toBe(true);
  });

  it('keeps the last N versions and deletes older keys', async () => {
    const versions = [];
    for (let i = 1; i <= 4; i++) versions.push((await seedSnapshot(withPrice(i, `2026-11-0${i}T00:00:00Z`))).version);
    expect((await pointer()).versions.map((v) => v.version)).toEqual(versions.slice(1).reverse());
    const oldKeys = await env.CATALOG_KV.list({ prefix: snapshotKeys.prefix(versions[0]!) });
    expect(oldKeys.keys).toHaveLength(0);
    expect(await env.ASSETS_R2.head(snapshotKeys.document(versions[0]!))).toBeNull();
  });

  it('publishing identical content writes nothing', async () => {
    const first = await seedSnapshot();
    const again = await seedSnapshot();
    expect(again).toMatchObject({ version: first.version, published: false, writes: 0 });
  });

  it('a schema-invalid snapshot never replaces a valid one', async () => {
    const good = await seedSnapshot();
    const bad = fixtureSnapshot();
    delete bad.products[3]!.price;
    await expect(seedSnapshot(bad)).rejects.toThrow(/price/);
    expect((await pointer()).versions[0]!.version).toBe(good.version);
  });
});

describe('refresh from the origin (the cron path)', () => {
  it('publishes /pim/export as a new version', async () => {
    const result = await refreshSnapshot(env);
    expect(result).toMatchObject({ ok: true, published: true });
    expect((await pointer()).versions[0]!.productCount).toBe(194);
  });

  it.each(['bad-schema', 'garbage', 'html', 'error=503', 'down'])('keeps the current snapshot when the export is %s', async (spec) => {
    const good = await seedSnapshot();
    await setFault(spec, { path: '/pim' });
    const result = await refreshSnapshot(env);
    expect(result.ok).toBe(false);
    expect((await pointer()).versions[0]!.version).toBe(good.version);
  });
});
