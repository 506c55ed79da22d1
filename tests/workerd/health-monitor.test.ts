import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { monitorStub, reportOutcome } from '../../workers/showroom/mode-view.ts';
import { call, clearFaults, resetAll, runProbes, seedSnapshot, setFault } from './helpers.ts';

interface Status {
  mode: string;
  origin: { lastProbe: { at: string; ok: boolean; latencyMs: number; error?: string } | null; state: string };
  probeIntervalMs: number;
  originDeadlineMs: number;
  snapshot: { version: string; ageSeconds: number; productCount: number } | null;
  transitions: { from: string; to: string; reason: string }[];
  nextProbeAt: string | null;
}

const status = async () => (await (await call('/status.json')).json()) as Status;

beforeEach(async () => {
  await resetAll();
  await seedSnapshot();
});

describe('HealthMonitor transitions, driven by its alarm', () => {
  it('stays live on good probes and arms the next probe', async () => {
    await runProbes(2);
    const s = await status();
    expect(s.mode).toBe('live');
    expect(s.origin.lastProbe?.ok).toBe(true);
    expect(s.nextProbeAt).not.toBeNull();
    expect(s.snapshot?.productCount).toBe(194);
    expect(s.snapshot?.version).toMatch(/^v\d{8}t\d{6}z-[0-9a-f]{12}$/);
  });

  it('probes on its cadence, and confirms a first failure after half an interval', async () => {
    const gap = (s: Status) => Date.parse(s.nextProbeAt!) - Date.parse(s.origin.lastProbe!.at);
    await runProbes(1);
    const healthy = await status();
    expect(healthy.probeIntervalMs).toBe(1000);
    expect(healthy.originDeadlineMs).toBe(400);
    expect(gap(healthy)).toBeGreaterThan(500);
    expect(gap(healthy)).toBeLessThanOrEqual(1000);
    await setFault('down');
    await runProbes(1);
    const suspect = await status();
    expect(suspect.mode).toBe('live');
    expect(gap(suspect)).toBeLessThanOrEqual(500);
    await runProbes(1);
    const down = await status();
    expect(down.mode).toBe('degraded');
    expect(gap(down)).toBeGreaterThan(500);
  });

  it('goes degraded after 2 failed probes (not 1), and live after 3 good ones (not 2)', async () => {
    await setFault('down');
    await runProbes(1);
    expect((await status()).mode).toBe('live');
    await runProbes(1);
    const down = await status();
    expect(down.mode).toBe('degraded');
    expect(down.origin.state).toBe('down');
    expect(down.transitions[0]).toMatchObject({ from: 'live', to: 'degraded' });
    expect(down.transitions[0]?.reason).toMatch(/2 failed probes/);

    await clearFaults();
    await runProbes(2);
    expect((await status()).mode).toBe('degraded');
    await runProbes(1);
    const up = await status();
    expect(up.mode).toBe('live');
    expect(up.transitions.map((t) => t.to)).toEqual(['live', 'degraded']);
  });

  it('a hanging origin fails the probe by its timeout', async () => {
    await setFault('hang');
    await runProbes(2);
    const s = await status();
    expect(s.mode).toBe('degraded');
    expect(s.origin.lastProbe?.error).toMatch(/no answer within/);
  });

  it('a burst of passive failures degrades without waiting for probes', async () => {
    await monitorStub(env).report(5, 0, 'test burst');
    const s = await status();
    expect(s.mode).toBe('degraded');
    expect(s.transitions[0]?.reason).toMatch(/5 request failures/);
  });

  it('isolates batch their failure reports', async () => {
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
    for (let i = 0; i < 10; i++) reportOutcome(env, ctx, false, 'boom');
    await Promise.all(pending);
    expect(pending.length).toBeLessThanOrEqual(2);
  });

  it('a batch still waiting when requests stop (an open breaker) reaches the monitor on a timer', async () => {
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
    for (let i = 0; i < 5; i++) reportOutcome(env, ctx, false, 'boom');
    await Promise.all(pending);
    const s = await status();
    expect(s.mode).toBe('degraded');
    expect(s.transitions.at(-1)?.reason).toMatch(/5 request failures/);
  });

  it("an isolate's breaker opening (3 reads failing in a row) degrades the showroom without waiting for probes", async () => {
    await setFault('down', { path: '/api' });
    for (let i = 0; i < 3; i++) expect((await call('/api/products/BEA-ESS-ESS-001')).headers.get('x-vitrine-source')).toBe('snapshot');
    let s = await status();
    for (let i = 0; i < 30 && s.mode !== 'degraded'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = await status();
    }
    expect(s.mode).toBe('degraded');
    expect(s.transitions.at(-1)?.reason).toMatch(/circuit breaker opened/);
    expect(s.origin.lastProbe).toBeNull();
  });

  it('failures seen before the last recovery (a batch flushed late) do not degrade again; new ones do', async () => {
    const seenDuringOutage = Date.now();
    await monitorStub(env).report(5, 0, 'outage');
    expect((await status()).mode).toBe('degraded');
    await runProbes(3);
    expect((await status()).mode).toBe('live');
    await monitorStub(env).report(50, 0, 'late batch from the outage', seenDuringOutage - 1);
    expect((await status()).mode).toBe('live');
    await monitorStub(env).report(5, 0, 'a new outage', Date.now() + 1);
    expect((await status()).mode).toBe('degraded');
  });
});

describe('degraded mode, as shoppers see it', () => {
  beforeEach(async () => {
    await setFault('down');
    await runProbes(2);
  });

  it('marks every response degraded and reads go straight to the snapshot', async () => {
    const res = await call('/api/products/BEA-ESS-ESS-001');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vitrine-mode')).toBe('degraded');
    expect(res.headers.get('x-vitrine-source')).toBe('snapshot');
    expect(res.headers.get('x-vitrine-fallback-reason')).toBe('degraded');
  });

  it('product page: banner, quote form instead of ordering, prices as of the snapshot', async () => {
    const res = await call('/p/essence-mascara-lash-princess');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vitrine-mode')).toBe('degraded');
    const html = await res.text();
    expect(html).toContain('data-vitrine-mode="degraded"');
    expect(html).toMatch(/<div class="vitrine-banner" role="status" data-vitrine-banner>[^<]*read-only/);
    expect(html).not.toContain('data-commerce');
    expect(html).toContain('data-vitrine-quote');
    expect(html).toContain('name="sku" value="BEA-ESS-ESS-001"');
    expect(html).toContain('as of 2026-11-01 00:00 UTC');
  });

  it('home and category pages stay browsable', async () => {
    for (const path of ['/', '/c/beauty']) {
      const res = await call(path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('data-vitrine-banner');
    }
  });
});
