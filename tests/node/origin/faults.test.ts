import { Agent, request as httpRequest } from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OriginHandle } from '../../../examples/origin/start-origin.ts';
import { ProductSchema, SnapshotSchema } from '../../../workers/shared/catalog/product-schema.ts';
import { errorCode, makeProduct, postJson, probeConnect, rawRequest, startTestOrigin, useTestOrigin, waitUntil } from './origin-harness.ts';

const testOrigin = useTestOrigin();
let origin: OriginHandle;
beforeEach(() => {
  origin = testOrigin();
});

async function fault(spec: string, opts?: { path?: string; percent?: number }) {
  origin.setFault(spec, opts);
  await origin.settled();
}

const productUrl = () => `${origin.url}/api/products/TST-001`;
const expectedProduct = () => JSON.parse(JSON.stringify(ProductSchema.parse(makeProduct(1)))) as unknown;

async function ordersWithKey(key: string): Promise<number> {
  const list = (await (await fetch(`${origin.url}/api/orders`)).json()) as { items: { idempotencyKey: string }[] };
  return list.items.filter((i) => i.idempotencyKey === key).length;
}

describe('down', () => {
  it('refuses connections (ECONNREFUSED), closes keep-alive sockets, and re-listens on the same port on ok', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const keptAlive = await new Promise<import('node:net').Socket>((resolve, reject) => {
      const req = httpRequest(`${origin.url}/healthz`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(req.socket!));
      });
      req.on('error', reject);
      req.end();
    });
    const keptAliveClosed = new Promise<void>((resolve) => keptAlive.once('close', () => resolve()));

    await fault('down');
    expect(origin.faults().listening).toBe(false);
    await keptAliveClosed;
    expect(await probeConnect(origin.port)).toBe('ECONNREFUSED');
    const error = await fetch(`${origin.url}/healthz`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorCode(error)).toBe('ECONNREFUSED');

    await fault('ok');
    expect(origin.faults().listening).toBe(true);
    expect(await probeConnect(origin.port)).toBe('connected');
    expect((await fetch(`${origin.url}/healthz`)).status).toBe(200);
    agent.destroy();
  });
});

describe('hang', () => {
  it('accepts the request and never answers; the client gives up', async () => {
    await fault('hang');
    origin.resetStats();
    const error = await fetch(`${origin.url}/healthz`, { signal: AbortSignal.timeout(300) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('TimeoutError');
    expect(origin.stats().byPath['/healthz']).toBe(1);
    const raw = await rawRequest(`${origin.url}/healthz`, { timeoutMs: 300 });
    expect(raw.timedOut).toBe(true);
    expect(raw.status).toBeUndefined();
    expect(raw.error).toBeUndefined();
  });

  it('does not keep close() waiting: hung sockets are destroyed', async () => {
    const own = await startTestOrigin();
    own.setFault('hang');
    const pending = rawRequest(`${own.url}/healthz`, { timeoutMs: 10_000 });
    await waitUntil(() => own.stats().requests === 1);
    await own.close();
    const raw = await pending;
    expect(raw.timedOut).toBe(false);
    expect(raw.status).toBeUndefined();
    expect(raw.phase).toBe('before-response');
  });
});

describe('slow', () => {
  it('delays the headers, then answers normally', async () => {
    await fault('slow=400');
    const early = await fetch(productUrl(), { signal: AbortSignal.timeout(150) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((early as Error).name).toBe('TimeoutError');
    const res = await fetch(productUrl(), { signal: AbortSignal.timeout(2000) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(expectedProduct());
  });
});

describe('drip', () => {
  it('sends the body in several small chunks', async () => {
    await fault('drip=15');
    const raw = await rawRequest(productUrl(), { timeoutMs: 5000 });
    expect(raw.status).toBe(200);
    expect(raw.complete).toBe(true);
    expect(raw.chunks.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...raw.chunks.map((c) => c.length))).toBeLessThanOrEqual(64);
    expect(JSON.parse(raw.body)).toEqual(expectedProduct());
  });

  it('sends the headers at once while the body takes its time', async () => {
    await fault('drip=400');
    const signal = AbortSignal.timeout(1000);
    const res = await fetch(productUrl(), { signal });
    expect(res.status).toBe(200);
    const body = await res.text().then(
      () => 'complete',
      (e: unknown) => (e as Error).name,
    );
    expect(body).toBe('TimeoutError');
  });
});

describe('HEAD under body faults', () => {
  it.each(['drip=400', 'truncate', 'reset-mid-body', 'bad-schema'])('passes HEAD through untouched under %s', async (spec) => {
    await fault(spec);
    const raw = await rawRequest(productUrl(), { method: 'HEAD', timeoutMs: 2000 });
    expect(raw.status).toBe(200);
    expect(raw.complete).toBe(true);
    expect(raw.body).toBe('');
  });
});

describe('reset', () => {
  it('destroys the socket before any header', async () => {
    await fault('reset');
    const raw = await rawRequest(productUrl());
    expect(raw.status).toBeUndefined();
    expect(raw.phase).toBe('before-response');
    expect(raw.error?.code).toBe('ECONNRESET');
    const error = await fetch(productUrl()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(errorCode(error));
  });
});

describe('reset-mid-body', () => {
  it('sends the headers and part of the body, then the body read fails', async () => {
    await fault('reset-mid-body');
    const raw = await rawRequest(productUrl());
    expect(raw.status).toBe(200);
    expect(raw.complete).toBe(false);
    expect(raw.phase).toBe('body');
    expect(raw.body.length).toBeGreaterThan(0);
    expect(() => JSON.parse(raw.body)).toThrow();

    const res = await fetch(productUrl());
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });
});

describe('truncate', () => {
  it('declares a Content-Length larger than the bytes sent, then closes', async () => {
    await fault('truncate');
    const raw = await rawRequest(productUrl());
    expect(raw.status).toBe(200);
    expect(raw.complete).toBe(false);
    const declared = Number(raw.headers?.['content-length']);
    expect(declared).toBeGreaterThan(Buffer.byteLength(raw.body));
    expect(Buffer.byteLength(raw.body)).toBeGreaterThan(0);

    const res = await fetch(productUrl());
    await expect(res.text()).rejects.toThrow();
  });
});

describe('garbage', () => {
  it('answers 200 application/json that is not JSON', async () => {
    await fault('garbage');
    const res = await fetch(productUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });
});

describe('html', () => {
  it('answers a 200 text/html error page', async () => {
    await fault('html');
    const res = await fetch(productUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/<html>[\s\S]*Bad Gateway/);
  });
});

describe('bad-schema', () => {
  it('answers valid JSON that breaks the product schema, for a product, a listing and the export', async () => {
    await fault('bad-schema');
    const res = await fetch(productUrl());
    expect(res.status).toBe(200);
    const product = (await res.json()) as Record<string, unknown>;
    expect(product.sku).toBeUndefined();
    expect(typeof product.price).toBe('string');
    expect(ProductSchema.safeParse(product).success).toBe(false);

    const listing = (await (await fetch(`${origin.url}/api/products`)).json()) as { items: unknown[] };
    expect(listing.items.length).toBeGreaterThan(0);
    expect(listing.items.every((i) => !ProductSchema.safeParse(i).success)).toBe(true);

    const snapshot = await (await fetch(`${origin.url}/pim/export`)).json();
    expect(SnapshotSchema.safeParse(snapshot).success).toBe(false);
  });
});

describe('error=<status>', () => {
  it('answers 503 problem+json with Retry-After: 5, without running the handler', async () => {
    await fault('error=503');
    const res = await fetch(productUrl());
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ type: 'about:blank', status: 503, title: 'Service Unavailable' });
    expect((await postJson(`${origin.url}/api/orders`, { x: 1 }, 'error-503')).status).toBe(503);
    await fault('ok');
    expect(await ordersWithKey('error-503')).toBe(0);
  });

  it('sets Retry-After on 429 only among other statuses', async () => {
    await fault('error=429');
    expect((await fetch(productUrl())).headers.get('retry-after')).toBe('5');
    await fault('error=500');
    const res = await fetch(productUrl());
    expect(res.status).toBe(500);
    expect(res.headers.get('retry-after')).toBeNull();
  });
});

describe.each([
  ['commit-then-reset', 'reset'],
  ['commit-then-500', '500'],
])('%s', (spec, effect) => {
  it('stores the write, loses the answer; a retry with the same key replays', async () => {
    const key = `${spec}-key`;
    await fault(spec);
    const first = await postJson(
      `${origin.url}/api/orders`,
      { items: [{ sku: 'TST-001', quantity: 1 }], contact: { name: 'Ada', email: 'ada@example.com' } },
      key,
    ).then(
      (res) => res,
      (e: unknown) => e,
    );
    if (effect === 'reset') {
      expect(first).toBeInstanceOf(TypeError);
    } else {
      const res = first as Response;
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    // Reads pass untouched under a commit-then-* fault.
    expect(await ordersWithKey(key)).toBe(1);
    expect((await fetch(productUrl())).status).toBe(200);

    await fault('ok');
    const retry = await postJson(
      `${origin.url}/api/orders`,
      { items: [{ sku: 'TST-001', quantity: 1 }], contact: { name: 'Ada', email: 'ada@example.com' } },
      key,
    );
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await ordersWithKey(key)).toBe(1);
  });
});

describe('flap', () => {
  it('alternates down and ok on the real listener, starting with down', async () => {
    const own = await startTestOrigin();
    try {
      own.setFault('flap=0.25');
      await own.settled();
      const states: string[] = [await probeConnect(own.port)];
      const deadline = Date.now() + 1400;
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        states.push(await probeConnect(own.port));
      }
      const phases = states.filter((s, i) => i === 0 || s !== states[i - 1]);
      expect(phases[0]).toBe('ECONNREFUSED');
      expect(phases.length).toBeGreaterThanOrEqual(4);
      expect(phases.every((s) => s === 'ECONNREFUSED' || s === 'connected')).toBe(true);

      own.setFault('ok');
      await own.settled();
      expect(await probeConnect(own.port)).toBe('connected');
    } finally {
      await own.close();
    }
  });
});
