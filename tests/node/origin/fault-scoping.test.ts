import { beforeEach, describe, expect, it } from 'vitest';
import type { OriginHandle } from '../../../examples/origin/start-origin.ts';
import { probeConnect, rawRequest, useTestOrigin } from './origin-harness.ts';

const testOrigin = useTestOrigin();
let origin: OriginHandle;
beforeEach(() => {
  origin = testOrigin();
});

describe('path scoping', () => {
  it('applies a fault only under its prefix, per segment', async () => {
    origin.setFault('error=503', { path: '/api/products' });
    expect((await fetch(`${origin.url}/api/products/TST-001`)).status).toBe(503);
    expect((await fetch(`${origin.url}/api/products`)).status).toBe(503);
    expect((await fetch(`${origin.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${origin.url}/api/orders`)).status).toBe(200);
    expect((await fetch(`${origin.url}/pim/export`)).status).toBe(200);
  });

  it('uses the rule with the longest matching prefix', async () => {
    origin.setFault('error=500');
    origin.setFault('error=503', { path: '/api' });
    origin.setFault('error=429', { path: '/api/products' });
    expect((await fetch(`${origin.url}/healthz`)).status).toBe(500);
    expect((await fetch(`${origin.url}/api/leads`)).status).toBe(503);
    expect((await fetch(`${origin.url}/api/products/TST-002`)).status).toBe(429);
    origin.setFault('ok', { path: '/api/products' });
    expect((await fetch(`${origin.url}/api/products/TST-002`)).status).toBe(503);
  });

  it('scoped down destroys sockets only under the prefix, without a byte, and keeps listening', async () => {
    origin.setFault('down', { path: '/api' });
    await origin.settled();
    expect(origin.faults().listening).toBe(true);
    expect(await probeConnect(origin.port)).toBe('connected');
    const raw = await rawRequest(`${origin.url}/api/products`);
    expect(raw.status).toBeUndefined();
    expect(raw.chunks).toHaveLength(0);
    expect(raw.phase).toBe('before-response');
    expect(raw.error?.code).toMatch(/ECONNRESET|EPIPE/);
    expect((await rawRequest(`${origin.url}/healthz`)).status).toBe(200);
  });

  it('down on / at less than 100% keeps listening and destroys the unlucky sockets', async () => {
    origin.setFault('down', { percent: 50 });
    await origin.settled();
    expect(origin.faults().listening).toBe(true);
    const results = await Promise.all(Array.from({ length: 40 }, () => rawRequest(`${origin.url}/healthz`)));
    const destroyed = results.filter((r) => r.status === undefined && r.phase === 'before-response').length;
    const ok = results.filter((r) => r.status === 200).length;
    expect(destroyed + ok).toBe(40);
    expect(destroyed).toBeGreaterThan(0);
    expect(ok).toBeGreaterThan(0);
  });

  it('scoped flap alternates destroyed sockets and answers under the prefix only', async () => {
    origin.setFault('flap=0.2', { path: '/api' });
    const outcomes: string[] = [];
    const deadline = Date.now() + 1100;
    while (Date.now() < deadline) {
      const raw = await rawRequest(`${origin.url}/api/products/TST-001`);
      outcomes.push(raw.status === undefined ? 'down' : String(raw.status));
      expect((await fetch(`${origin.url}/healthz`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 20));
    }
    const phases = outcomes.filter((s, i) => i === 0 || s !== outcomes[i - 1]);
    expect(phases[0]).toBe('down');
    expect(phases.length).toBeGreaterThanOrEqual(3);
    expect(new Set(phases)).toEqual(new Set(['down', '200']));
  });
});

describe('percent', () => {
  it('faults about the given share of requests (50% of 200 lands between 30% and 70%)', async () => {
    origin.setFault('error=503', { percent: 50 });
    let faulted = 0;
    for (let batch = 0; batch < 10; batch += 1) {
      const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await fetch(`${origin.url}/healthz`)).status));
      faulted += statuses.filter((s) => s === 503).length;
      expect(statuses.every((s) => s === 503 || s === 200)).toBe(true);
    }
    expect(faulted).toBeGreaterThanOrEqual(60);
    expect(faulted).toBeLessThanOrEqual(140);
  });

  it('percent 0 never faults', async () => {
    origin.setFault('error=503', { percent: 0 });
    const statuses = await Promise.all(Array.from({ length: 30 }, async () => (await fetch(`${origin.url}/healthz`)).status));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});

describe('stats', () => {
  it('counts requests that reached the shopper port, faulted or not, by path', async () => {
    origin.resetStats();
    await fetch(`${origin.url}/healthz`);
    await fetch(`${origin.url}/api/products/TST-001?x=1`);
    origin.setFault('error=503', { path: '/api' });
    await fetch(`${origin.url}/api/products/TST-001`);
    origin.setFault('down', { path: '/pim' });
    await rawRequest(`${origin.url}/pim/export`);
    expect(origin.stats()).toEqual({ requests: 4, byPath: { '/healthz': 1, '/api/products/TST-001': 2, '/pim/export': 1 } });
  });
});
