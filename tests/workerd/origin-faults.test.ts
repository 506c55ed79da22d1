import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { POINTER_KEY } from '../../workers/shared/snapshot/snapshot-layout.ts';
import { call, originRequestCount, resetAll, seedSnapshot, setFault } from './helpers.ts';
import { ORDER, post, receipt, uniqueKey } from './write-helpers.ts';

const SKU = 'FUR-KNO-KNO-014';

beforeEach(async () => {
  await resetAll();
  await seedSnapshot();
});

/**
 * Every read fault of the example origin, answered from the snapshot. The
 * worker's deadline is 400 ms here (tests/workerd/vitest.config.ts); slow and
 * drip are set well past it, so only the deadline can end them.
 */
const READ_FAULTS: [spec: string, reason: RegExp][] = [
  ['down', /.+/],
  ['hang', /within 400 ms/],
  ['slow=3000', /within 400 ms/],
  ['drip=300', /within 400 ms/],
  ['error=500', /500/],
  ['error=503', /503/],
  ['error=429', /429/],
  ['reset', /.+/],
  ['reset-mid-body', /.+/],
  ['truncate', /.+/],
  ['garbage', /not JSON/],
  ['html', /not JSON/],
  ['bad-schema', /schema/],
  ['flap=30', /.+/],
];

describe('a failing origin is answered from the snapshot', () => {
  it.each(READ_FAULTS)('%s → product from snapshot', async (spec, reason) => {
    await setFault(spec);
    const res = await call(`/api/products/${SKU}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vitrine-source')).toBe('snapshot');
    expect(res.headers.get('x-vitrine-fallback-reason')).toMatch(reason);
    expect(((await res.json()) as { sku: string }).sku).toBe(SKU);
  });

  it.each(READ_FAULTS)('%s → listing from snapshot', async (spec) => {
    await setFault(spec);
    const res = await call('/api/products?category=furniture&pageSize=3');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vitrine-source')).toBe('snapshot');
    const body = (await res.json()) as { items: unknown[]; total: number; totalPages: number };
    expect(body.items).toHaveLength(3);
    expect(body.totalPages).toBe(Math.ceil(body.total / 3));
  });

  it.each(READ_FAULTS)('%s → product page keeps snapshot values, no 5xx', async (spec) => {
    await setFault(spec);
    const res = await call('/p/knoll-saarinen-executive-conference-chair');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-vitrine-price="FUR-KNO-KNO-014"');
    expect(html).not.toContain('data-vitrine-live');
  });

  it.each(['commit-then-reset', 'commit-then-500'])('%s only affects writes: reads still come from the origin', async (spec) => {
    await setFault(spec);
    const res = await call(`/api/products/${SKU}`);
    expect(res.headers.get('x-vitrine-source')).toBe('origin');
  });

  it('a fault scoped to another prefix leaves product reads live', async () => {
    await setFault('down', { path: '/pim' });
    const res = await call(`/api/products/${SKU}`);
    expect(res.headers.get('x-vitrine-source')).toBe('origin');
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures, so later reads skip the origin entirely', async () => {
    await setFault('hang');
    for (let i = 0; i < 3; i++) expect((await call(`/api/products/${SKU}`)).headers.get('x-vitrine-source')).toBe('snapshot');
    const before = await originRequestCount();
    const res = await call(`/api/products/${SKU}`);
    expect(res.headers.get('x-vitrine-source')).toBe('snapshot');
    expect(res.headers.get('x-vitrine-fallback-reason')).toBe('breaker-open');
    expect(await originRequestCount()).toBe(before);
  });

  it('cuts the reads still waiting on the origin to their fallback the moment it opens', async () => {
    await setFault('hang', { path: `/api/products/${SKU}` });
    await setFault('error=500', { path: '/api/products' });
    const before = await originRequestCount();
    const waiting = call(`/api/products/${SKU}`);
    for (let i = 0; i < 50 && (await originRequestCount()) === before; i++) await new Promise((r) => setTimeout(r, 10));
    for (let i = 0; i < 3; i++) expect((await call('/api/products?pageSize=2')).headers.get('x-vitrine-fallback-reason')).toMatch(/500/);
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vitrine-source')).toBe('snapshot');
    // Not its own deadline ("within 400 ms"): the third 500 opened the breaker and ended its wait.
    expect(res.headers.get('x-vitrine-fallback-reason')).toMatch(/breaker opened/);
  });

  it('queues a write at once while it is open, without trying the origin', async () => {
    await setFault('hang');
    for (let i = 0; i < 3; i++) await call(`/api/products/${SKU}`);
    const before = await originRequestCount();
    const res = await post('/api/orders', ORDER, uniqueKey());
    expect(res.status).toBe(202);
    expect(res.headers.get('x-vitrine-source')).toBe('outbox');
    const queued = await receipt(res.headers.get('x-vitrine-receipt')!);
    expect(queued).toMatchObject({ state: 'pending', attempts: 0, lastError: null });
    expect(await originRequestCount()).toBe(before);
  });

  it('counts writes that fail live like reads: three in a row open it', async () => {
    await setFault('error=503');
    for (let i = 0; i < 3; i++) expect((await post('/api/orders', ORDER, uniqueKey())).status).toBe(202);
    const res = await call(`/api/products/${SKU}`);
    expect(res.headers.get('x-vitrine-source')).toBe('snapshot');
    expect(res.headers.get('x-vitrine-fallback-reason')).toBe('breaker-open');
  });
});

describe('no snapshot yet', () => {
  it('a dead origin with nothing published is a 503 with a reason, not a crash', async () => {
    await resetAll();
    await env.CATALOG_KV.delete(POINTER_KEY);
    await setFault('down');
    const res = await call(`/api/products/${SKU}`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(((await res.json()) as { detail: string }).detail).toContain('no catalog snapshot');
  });
});
