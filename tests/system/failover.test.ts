/**
 * The foundation's promise, on real parts: the example origin process and the
 * showroom on local workerd (wrangler dev). While shopper reads run, the origin
 * goes down, then hangs, then comes back: no read ever fails, the mode goes
 * degraded and returns to live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../support/local-stack.ts';

const PROBE_INTERVAL_MS = 500;
const READ_PATHS = [
  '/api/products/FUR-KNO-KNO-014',
  '/api/products?category=beauty&pageSize=5',
  '/p/essence-mascara-lash-princess',
  '/',
  '/c/furniture',
];
const CONCURRENCY = 4;
const MAX_REQUESTS = 5_000;

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ vars: { PROBE_INTERVAL_MS: String(PROBE_INTERVAL_MS), ORIGIN_DEADLINE_MS: '400' } });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

interface Sample {
  path: string;
  status: number;
  mode: string | null;
  source: string | null;
  error?: string;
}

async function waitForMode(mode: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await stack.status()).mode === mode) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`mode did not become ${mode} within ${timeoutMs} ms`);
}

describe('failover on the real stack', () => {
  it('keeps every read 2xx through down → hang → ok, and the mode follows', async () => {
    const samples: Sample[] = [];
    let running = true;
    const shopper = async (id: number) => {
      let i = id;
      while (running && samples.length < MAX_REQUESTS) {
        const path = READ_PATHS[i++ % READ_PATHS.length]!;
        try {
          const res = await fetch(`${stack.edgeUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
          await res.arrayBuffer();
          samples.push({ path, status: res.status, mode: res.headers.get('x-vitrine-mode'), source: res.headers.get('x-vitrine-source') });
        } catch (err) {
          samples.push({ path, status: 0, mode: null, source: null, error: String(err) });
        }
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => shopper(i)));
    const phases: string[] = [];
    try {
      await new Promise((r) => setTimeout(r, 1_000));
      await stack.setFault('down');
      await waitForMode('degraded', 15_000);
      phases.push('degraded after down');
      await new Promise((r) => setTimeout(r, 1_000));
      await stack.setFault('hang');
      await new Promise((r) => setTimeout(r, 2_000));
      expect((await stack.status()).mode).toBe('degraded');
      await stack.setFault('ok');
      await waitForMode('live', 20_000);
      phases.push('live after ok');
      await new Promise((r) => setTimeout(r, 2_500));
    } finally {
      running = false;
      await load;
    }
    const failures = samples.filter((s) => s.status < 200 || s.status > 299);
    expect(failures, JSON.stringify(failures.slice(0, 5))).toEqual([]);
    expect(phases).toEqual(['degraded after down', 'live after ok']);
    expect(samples.length).toBeGreaterThan(50);
    const seen = new Set(samples.map((s) => `${s.mode}/${s.source}`));
    expect(seen).toContain('live/origin');
    expect(seen).toContain('degraded/snapshot');
    expect(samples.at(-1)?.mode).toBe('live');
    const transitions = ((await stack.status()) as unknown as { transitions: { to: string }[] }).transitions.map((t) => t.to);
    expect(transitions.slice(0, 2)).toEqual(['live', 'degraded']);
  }, 120_000);
});
