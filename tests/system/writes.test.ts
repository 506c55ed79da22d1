/**
 * Nothing accepted is lost, on real parts: the example origin (SQLite) as its
 * own process, the showroom in `wrangler dev`. A few hundred orders and leads,
 * some sent again with the same key and some invalid, go in while the origin
 * flaps, hangs, and stores writes but loses its answers (`commit-then-reset`,
 * `commit-then-500`). Afterwards the origin's database is compared with what
 * the shoppers were told. Then a real browser (chromium) shows that a page's
 * analytics events wait in localStorage while /api/events cannot be reached,
 * and arrive once it can.
 */
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../assets-pipeline/poster/launch-poster-browser.ts';
import { type LocalStack, startLocalStack } from '../support/local-stack.ts';
import { requireInstalled } from '../support/required-tools.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    vars: { PROBE_INTERVAL_MS: '500', ORIGIN_DEADLINE_MS: '400' },
    // Every shopper here is 127.0.0.1 to wrangler dev; the per-client limits have their own workerd test.
    rateLimits: { WRITE_LIMITER: 100_000, EVENT_LIMITER: 100_000 },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

type Kind = 'orders' | 'leads';
interface Sent {
  kind: Kind;
  key: string;
  valid: boolean;
  /** Every HTTP status the shopper got for this key (network errors are 0). */
  answers: number[];
  receipt?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function bodyFor(kind: Kind, i: number, valid: boolean): unknown {
  const contact = { name: `Shopper ${i}`, email: valid ? `shopper${i}@example.com` : 'not-an-email' };
  return kind === 'orders'
    ? { items: [{ sku: 'FUR-KNO-KNO-014', quantity: 1 + (i % 5) }], contact, note: `write ${i}` }
    : { kind: (['quote', 'demo', 'callback'] as const)[i % 3], contact, sku: 'FUR-KNO-KNO-014', message: `write ${i}` };
}

/** One write as a careful client sends it: same key on every try; retried on network errors, 409 and 5xx, up to 4 tries. */
async function send(s: Sent, body: unknown): Promise<void> {
  for (let attempt = 0; attempt < 4; attempt++) {
    let status = 0;
    try {
      const res = await fetch(`${stack.edgeUrl}/api/${s.kind}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': s.key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      status = res.status;
      const answer = (await res.json().catch(() => ({}))) as { receipt?: string };
      if (status === 202 && answer.receipt) s.receipt = answer.receipt;
    } catch {
      status = 0;
    }
    s.answers.push(status);
    if (status !== 0 && status !== 409 && status < 500) return;
    await sleep(200 * (attempt + 1));
  }
}

describe('writes under origin faults', () => {
  it('a few hundred writes through flap, hang, commit-then-reset and commit-then-500: lost 0, duplicated 0, unexpected 0', async () => {
    const sent: Sent[] = [];
    let running = true;
    let n = 0;
    const shopper = async () => {
      while (running) {
        const i = n++;
        const kind: Kind = i % 2 === 0 ? 'orders' : 'leads';
        const valid = i % 17 !== 5;
        const s: Sent = { kind, key: `sys-${i}-${Math.random().toString(36).slice(2, 10)}`, valid, answers: [] };
        sent.push(s);
        const body = bodyFor(kind, i, valid);
        await send(s, body);
        // Now and then the shopper's app sends the same write again (a double tap, a resend after a crash).
        if (i % 7 === 3) await send(s, body);
        await sleep(40);
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, () => shopper()));
    try {
      await sleep(1_500);
      await stack.setFault('flap=1');
      await sleep(5_000);
      await stack.setFault('hang');
      await sleep(3_000);
      await stack.setFault('ok');
      await sleep(1_000);
      await stack.setFault('commit-then-reset');
      await sleep(3_000);
      await stack.setFault('commit-then-500');
      await sleep(3_000);
      await stack.setFault('ok');
      await sleep(1_000);
    } finally {
      running = false;
      await load;
    }
    await stack.setFault('ok');

    // Back to live, then every queued write should reach the origin within a replay cycle or two (bounded wait).
    for (let i = 0; i < 60 && (await stack.status()).mode !== 'live'; i++) await sleep(250);
    expect((await stack.status()).mode).toBe('live');
    const queued = sent.filter((s) => s.receipt);
    let pending: string[] = [];
    for (let round = 0; round < 60; round++) {
      pending = [];
      for (const s of queued) {
        const r = (await (await fetch(`${stack.edgeUrl}/api/receipts/${s.receipt}`)).json()) as { state: string };
        if (r.state !== 'delivered') pending.push(`${s.receipt}:${r.state}`);
      }
      if (pending.length === 0) break;
      await sleep(500);
    }
    expect(pending, 'receipts still not delivered').toEqual([]);

    const stored = new Map<string, number>();
    for (const kind of ['orders', 'leads'] as const) {
      const { items } = (await (await fetch(`${stack.originUrl}/api/${kind}`)).json()) as { items: { idempotencyKey: string }[] };
      for (const item of items) stored.set(`${kind}/${item.idempotencyKey}`, (stored.get(`${kind}/${item.idempotencyKey}`) ?? 0) + 1);
    }
    const acked = sent.filter((s) => s.answers.some((a) => a >= 200 && a < 300));
    const refused = sent.filter((s) => s.answers.some((a) => a >= 400 && a < 500) && !s.answers.some((a) => a >= 200 && a < 300));
    const sentKeys = new Set(sent.map((s) => `${s.kind}/${s.key}`));
    const lost = acked.filter((s) => !stored.has(`${s.kind}/${s.key}`)).map((s) => s.key);
    const duplicated = [...stored].filter(([, count]) => count > 1).map(([key]) => key);
    const unexpected = [...stored.keys()].filter((key) => !sentKeys.has(key));
    const refusedButStored = refused.filter((s) => stored.has(`${s.kind}/${s.key}`)).map((s) => s.key);
    const answers = sent.flatMap((s) => s.answers);
    const tally = Object.fromEntries([...new Set(answers)].sort().map((a) => [a, answers.filter((x) => x === a).length]));
    console.log(
      `writes: ${sent.length} sent, ${acked.length} acknowledged (${queued.length} via the outbox), ${refused.length} refused; ` +
        `answers ${JSON.stringify(tally)}; lost ${lost.length}, duplicated ${duplicated.length}, unexpected ${unexpected.length}`,
    );
    expect(sent.length).toBeGreaterThan(200);
    expect(queued.length).toBeGreaterThan(20);
    expect({ lost, duplicated, unexpected, refusedButStored }).toEqual({ lost: [], duplicated: [], unexpected: [], refusedButStored: [] });
    // Every invalid write was refused at the edge, every valid one acknowledged: the faults cost shoppers nothing.
    expect(sent.filter((s) => !s.valid).every((s) => s.answers.at(-1) === 400)).toBe(true);
    expect(sent.filter((s) => s.valid && !acked.includes(s)).map((s) => `${s.key}: ${s.answers.join(',')}`)).toEqual([]);
  }, 150_000);
});

describe('the analytics queue in a real browser', () => {
  it('keeps page events in localStorage while /api/events fails, and delivers them (once) when it works again', async () => {
    requireInstalled(CHROMIUM_PATH, 'chromium');
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      let blocked = true;
      await page.route('**/api/events', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
      await page.route(/^https:\/\//, (route) => route.fulfill({ status: 204 })); // product photos live on the internet
      await page.goto(`${stack.edgeUrl}/`);
      await page.goto(`${stack.edgeUrl}/c/furniture`);
      const queued = async () =>
        page.evaluate(() => {
          const waiting = JSON.parse(localStorage.getItem('vitrine:events:queue') ?? '[]') as { type: string; path: string }[];
          const outgoing = JSON.parse(localStorage.getItem('vitrine:events:outgoing') ?? 'null') as {
            batch: string;
            events: unknown[];
          } | null;
          return { waiting, outgoing };
        });
      let state = await queued();
      for (let i = 0; i < 40 && (state.outgoing?.events.length ?? 0) + state.waiting.length < 2; i++) {
        await sleep(100);
        state = await queued();
      }
      const held = [...(state.outgoing?.events ?? []), ...state.waiting] as { type: string; path: string }[];
      expect(held.map((e) => `${e.type} ${e.path}`)).toEqual(['page_view /', 'page_view /c/furniture']);

      blocked = false;
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      for (let i = 0; i < 50 && ((await queued()).outgoing !== null || (await queued()).waiting.length > 0); i++) await sleep(100);
      expect(await queued()).toEqual({ waiting: [], outgoing: null });
      const { items } = (await (await fetch(`${stack.originUrl}/api/events`)).json()) as {
        items: { body: { events: { type: string; path: string }[] } }[];
      };
      const delivered = items.flatMap((item) => item.body.events).map((e) => `${e.type} ${e.path}`);
      expect(delivered.filter((e) => e === 'page_view /c/furniture')).toHaveLength(1);
      expect(delivered).toContain('page_view /');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
