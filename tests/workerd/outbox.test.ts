/**
 * Writes through the edge to the real example origin (SQLite): delivered live,
 * queued durably when the origin fails or the showroom is degraded, replayed by
 * the outbox's alarm exactly once, idempotency per the IETF draft, bad input
 * refused with nothing stored, dead-lettering and backoff.
 */
import { env, evictAllDurableObjects, runInDurableObject } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { outboxStub, shardOf } from '../../workers/showroom/outbox-shards.ts';
import { backoffMs, OUTBOX_DEFAULTS } from '../../workers/showroom/write-outbox.ts';
import { ADMIN_TOKEN_FOR_TESTS } from './admin-token.ts';
import { call, clearFaults, resetAll, runProbes, seedSnapshot, setFault } from './helpers.ts';
import { atOrigin, LEAD, ORDER, originListening, post, receipt, replay, replayUntilSettled, uniqueKey } from './write-helpers.ts';

/** A write queued (the origin answered 503 live), then refused (400) on replay: dead-lettered. Returns its receipt. */
async function deadLettered(key: string): Promise<string> {
  await setFault('error=503', { path: '/api/orders' });
  const { receipt: id } = (await (await post('/api/orders', ORDER, key)).json()) as { receipt: string };
  await setFault('error=400', { path: '/api/orders' });
  await outboxStub(env, shardOf(key)).replayNow();
  await replay(key);
  await clearFaults();
  return id;
}

beforeEach(async () => {
  await resetAll();
  await seedSnapshot();
});

describe('live writes', () => {
  it('delivers an order to the origin and answers with its 201, once, whatever the retries', async () => {
    const key = uniqueKey();
    const first = await post('/api/orders', ORDER, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('x-vitrine-source')).toBe('origin');
    expect(first.headers.get('idempotency-key')).toBe(key);
    const id = first.headers.get('x-vitrine-receipt')!;
    const again = await post('/api/orders', ORDER, key);
    expect(again.status).toBe(200);
    expect((await again.json()) as { receipt: string; state: string }).toMatchObject({ receipt: id, state: 'delivered' });
    expect(await atOrigin('orders', key)).toBe(1);
    expect((await receipt(id)).state).toBe('delivered');
  });

  it('assigns and returns an Idempotency-Key when the client sends none', async () => {
    const res = await post('/api/leads', LEAD);
    expect(res.status).toBe(201);
    const key = res.headers.get('idempotency-key')!;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(await atOrigin('leads', key)).toBe(1);
  });

  it('refuses the same key with a different body (422), storing nothing new', async () => {
    const key = uniqueKey();
    expect((await post('/api/orders', ORDER, key)).status).toBe(201);
    const other = await post('/api/orders', { ...ORDER, items: [{ sku: 'FUR-KNO-KNO-014', quantity: 3 }] }, key);
    expect(other.status).toBe(422);
    expect(await atOrigin('orders', key)).toBe(1);
  });

  it("answers the origin's own refusal (4xx) live and keeps nothing: the same key may be sent again", async () => {
    await setFault('error=400', { path: '/api/orders' });
    const key = uniqueKey();
    const refused = await post('/api/orders', ORDER, key);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-vitrine-source')).toBe('origin');
    await clearFaults();
    expect(await atOrigin('orders', key)).toBe(0);
    const again = await post('/api/orders', ORDER, key);
    expect(again.status).toBe(201);
    expect(await atOrigin('orders', key)).toBe(1);
  });

  it('answers 409 with Retry-After while the first request with a key is still at the origin', async () => {
    await setFault('slow=300', { path: '/api/orders' });
    const key = uniqueKey();
    const first = post('/api/orders', ORDER, key);
    await new Promise((r) => setTimeout(r, 100));
    const second = await post('/api/orders', ORDER, key);
    expect(second.status).toBe(409);
    expect(second.headers.get('retry-after')).toBe('1');
    expect((await first).status).toBe(201);
    await clearFaults();
    const third = await post('/api/orders', ORDER, key);
    expect(third.status).toBe(200);
    expect(await third.json()).toMatchObject({ state: 'delivered' });
    expect(await atOrigin('orders', key)).toBe(1);
  });

  it('queues a write the origin fails (500) and replays it on the alarm, exactly once', async () => {
    await setFault('error=500', { path: '/api/orders' });
    const key = uniqueKey();
    const res = await post('/api/orders', ORDER, key);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { receipt: string; state: string; status: string };
    expect(body.state).toBe('pending');
    expect(body.status).toBe(`/api/receipts/${body.receipt}`);
    expect((await receipt(body.receipt)).lastError).toMatch(/500/);
    await clearFaults();
    expect(await replayUntilSettled(key, body.receipt)).toBe('delivered');
    expect(await atOrigin('orders', key)).toBe(1);
  });

  it.each(['garbage', 'html'])(
    'takes a 200 whose body is not JSON (%s) for no answer: queued with a receipt, replayed once',
    async (spec) => {
      await setFault(spec, { path: '/api/orders' });
      const key = uniqueKey();
      const res = await post('/api/orders', ORDER, key);
      expect(res.status).toBe(202);
      const body = (await res.json()) as { receipt: string; state: string };
      expect(body.state).toBe('pending');
      expect((await receipt(body.receipt)).lastError).toMatch(/not a JSON object/);
      await clearFaults();
      expect(await replayUntilSettled(key, body.receipt)).toBe('delivered');
      expect(await atOrigin('orders', key)).toBe(1);
    },
  );
});

describe('degraded writes', () => {
  it('go straight to the outbox with a receipt, and reach the origin once it is back', async () => {
    await setFault('down');
    await runProbes(2);
    const key = uniqueKey();
    const res = await post('/api/leads', LEAD, key);
    expect(res.status).toBe(202);
    expect(res.headers.get('x-vitrine-source')).toBe('outbox');
    const { receipt: id } = (await res.json()) as { receipt: string };
    expect((await receipt(id)).state).toBe('pending');
    const retry = await post('/api/leads', LEAD, key);
    expect(((await retry.json()) as { receipt: string }).receipt).toBe(id);
    await clearFaults();
    await originListening();
    expect(await replayUntilSettled(key, id)).toBe('delivered');
    expect(await atOrigin('leads', key)).toBe(1);
  });

  it('survives a restart of the outbox between accept and replay', async () => {
    await setFault('down');
    await runProbes(2);
    const key = uniqueKey();
    const { receipt: id } = (await (await post('/api/orders', ORDER, key)).json()) as { receipt: string };
    await evictAllDurableObjects();
    await clearFaults();
    await originListening();
    expect(await replayUntilSettled(key, id)).toBe('delivered');
    expect(await atOrigin('orders', key)).toBe(1);
  });

  it('queues a write whose live forward never settled (its isolate died mid-flight)', async () => {
    const key = uniqueKey();
    const id = `w${shardOf(key)}-${crypto.randomUUID()}`;
    await runInDurableObject(outboxStub(env, shardOf(key)), async (_instance, state) => {
      const long = Date.now() - 60_000;
      state.storage.sql.exec(
        "INSERT INTO writes (key, receipt, kind, body, hash, state, attempts, next_at, created_at, updated_at) VALUES (?, ?, 'order', ?, 'h', 'in-flight', 1, NULL, ?, ?)",
        key,
        id,
        JSON.stringify(ORDER),
        long,
        long,
      );
      await state.storage.setAlarm(Date.now());
    });
    expect(await replayUntilSettled(key, id)).toBe('delivered');
    expect(await atOrigin('orders', key)).toBe(1);
  });

  it('is replayed as soon as the monitor sees the origin back, not at its next backoff step', async () => {
    const key = uniqueKey();
    const id = `w${shardOf(key)}-${crypto.randomUUID()}`;
    await runInDurableObject(outboxStub(env, shardOf(key)), (_instance, state) => {
      const now = Date.now();
      state.storage.sql.exec(
        "INSERT INTO writes (key, receipt, kind, body, hash, state, attempts, next_at, created_at, updated_at) VALUES (?, ?, 'order', ?, 'h', 'pending', 3, ?, ?, ?)",
        key,
        id,
        JSON.stringify(ORDER),
        now + 3_600_000,
        now,
        now,
      );
    });
    await setFault('down');
    await runProbes(2);
    await clearFaults();
    await originListening();
    await runProbes(3); // back to live: the monitor asks every shard to replay
    const rescheduled = async () => {
      const r = await receipt(id);
      return r.state === 'delivered' || (r.nextAttemptAt !== null && Date.parse(r.nextAttemptAt) < Date.now() + 60_000);
    };
    for (let i = 0; i < 40 && !(await rescheduled()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await rescheduled()).toBe(true);
    // The shard's own alarm may be mid-attempt (in flight reads as pending): run alarms until it settles, boundedly.
    for (let i = 0; i < 20 && (await receipt(id)).state !== 'delivered'; i++) {
      await replay(key);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await receipt(id)).state).toBe('delivered');
    expect(await atOrigin('orders', key)).toBe(1);
  });

  it('dead-letters a queued write the origin refuses (4xx) on replay, with the reason', async () => {
    const key = uniqueKey();
    const id = await deadLettered(key);
    const r = await receipt(id);
    expect(r.state).toBe('dead-letter');
    expect(r.lastError).toMatch(/refused it \(400\)/);
    expect(await atOrigin('orders', key)).toBe(0);
  });

  it('dead-letters a write after OUTBOX_MAX_ATTEMPTS failed attempts (3 here), and stops trying', async () => {
    await setFault('error=503', { path: '/api/orders' });
    const key = uniqueKey();
    const { receipt: id } = (await (await post('/api/orders', ORDER, key)).json()) as { receipt: string };
    for (let i = 0; i < 4; i++) {
      await outboxStub(env, shardOf(key)).replayNow();
      await replay(key);
    }
    const r = await receipt(id);
    expect(r).toMatchObject({ state: 'dead-letter', attempts: 3, nextAttemptAt: null });
    expect(r.lastError).toMatch(/^3 attempts failed; last: origin answered 503/);
    await clearFaults();
    expect(await atOrigin('orders', key)).toBe(0);
  });

  it('backs off between attempts: the next one is half to all of base × 2^(attempts − 1) away', async () => {
    await setFault('error=503', { path: '/api/orders' });
    const key = uniqueKey();
    const { receipt: id } = (await (await post('/api/orders', ORDER, key)).json()) as { receipt: string };
    const wait = (r: { updatedAt: string; nextAttemptAt: string | null }) => Date.parse(r.nextAttemptAt!) - Date.parse(r.updatedAt);
    const first = await receipt(id);
    expect(first).toMatchObject({ attempts: 1, state: 'pending' });
    expect(wait(first)).toBeGreaterThanOrEqual(backoffMs(1, 0));
    expect(wait(first)).toBeLessThanOrEqual(backoffMs(1, 1));
    await outboxStub(env, shardOf(key)).replayNow();
    await replay(key);
    const second = await receipt(id);
    expect(second).toMatchObject({ attempts: 2, state: 'pending' });
    expect(wait(second)).toBeGreaterThanOrEqual(backoffMs(2, 0));
    expect(wait(second)).toBeLessThanOrEqual(backoffMs(2, 1));
    await clearFaults();
  });
});

describe('the plain quote form (degraded pages, the mirror without JavaScript)', () => {
  const form = (fields: Record<string, string>, key: string) =>
    call('/api/leads', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': key },
      body: new URLSearchParams(fields).toString(),
    });

  it('is taken as a lead and answered with a thank-you page naming the receipt', async () => {
    const key = uniqueKey();
    const res = await form(
      { kind: 'quote', sku: 'FUR-KNO-KNO-014', name: 'Ada <Lovelace>', email: 'ada@example.com', message: 'Ten?' },
      key,
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/Thank you/);
    expect(html).toContain(res.headers.get('x-vitrine-receipt')!);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await atOrigin('leads', key)).toBe(1);
  });

  it('is queued while degraded, and a form without an email is refused with the field', async () => {
    await setFault('down');
    await runProbes(2);
    const queued = await form({ kind: 'order', name: 'Ada', email: 'ada@example.com' }, uniqueKey());
    expect(queued.status).toBe(202);
    expect(await queued.text()).toMatch(/receipt/);
    const refused = await form({ kind: 'quote', name: 'Ada' }, uniqueKey());
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { field: string }).field).toBe('contact.email');
  });
});

describe('ops on the outbox', () => {
  const AUTH = { authorization: `Bearer ${ADMIN_TOKEN_FOR_TESTS}` };
  const ops = (path: string, init: RequestInit = {}) =>
    call(path, { ...init, headers: { ...AUTH, 'content-type': 'application/json', ...init.headers } });

  it('lists dead-lettered writes, retries one into delivery, discards another with a reason; counts in /status.json', async () => {
    expect((await call('/ops/outbox')).status).toBe(401);
    const keys = [uniqueKey(), uniqueKey()];
    const ids: string[] = [];
    for (const key of keys) ids.push(await deadLettered(key));

    const listed = (await (await ops('/ops/outbox?state=dead-letter')).json()) as {
      counts: { deadLetter: number };
      items: { receipt: string }[];
    };
    expect(listed.items.map((r) => r.receipt)).toEqual(expect.arrayContaining(ids));
    expect(listed.counts.deadLetter).toBeGreaterThanOrEqual(2);

    const retried = await ops(`/ops/outbox/${ids[0]}/retry`, { method: 'POST' });
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as { state: string }).state).toBe('pending');
    expect(await replayUntilSettled(keys[0]!, ids[0]!)).toBe('delivered');
    expect(await atOrigin('orders', keys[0]!)).toBe(1);
    expect((await ops(`/ops/outbox/${ids[0]}/retry`, { method: 'POST' })).status).toBe(409);

    expect((await ops(`/ops/outbox/${ids[1]}/discard`, { method: 'POST', body: '{}' })).status).toBe(400);
    const discarded = await ops(`/ops/outbox/${ids[1]}/discard`, {
      method: 'POST',
      body: JSON.stringify({ reason: 'duplicate of a phone order' }),
    });
    expect((await discarded.json()) as { state: string; lastError: string }).toMatchObject({
      state: 'discarded',
      lastError: 'discarded by ops: duplicate of a phone order',
    });
    expect(await atOrigin('orders', keys[1]!)).toBe(0);

    const status = (await (await call('/status.json')).json()) as {
      outbox: { delivered: number; discarded: number; unreachableShards: number };
    };
    expect(status.outbox.unreachableShards).toBe(0);
    expect(status.outbox.delivered).toBeGreaterThanOrEqual(1);
    expect(status.outbox.discarded).toBeGreaterThanOrEqual(1);
    expect((await ops('/ops/outbox/nope/retry', { method: 'POST' })).status).toBe(400);
  });
});

describe('backoffMs', () => {
  it('doubles from the base, is capped, and jitters within half to all of it', () => {
    expect(backoffMs(1, 0)).toBe(OUTBOX_DEFAULTS.baseDelayMs / 2);
    expect(backoffMs(1, 1)).toBe(OUTBOX_DEFAULTS.baseDelayMs);
    expect(backoffMs(3, 1)).toBe(OUTBOX_DEFAULTS.baseDelayMs * 4);
    expect(backoffMs(30, 1)).toBe(OUTBOX_DEFAULTS.maxDelayMs);
    expect(backoffMs(30, 0)).toBe(OUTBOX_DEFAULTS.maxDelayMs / 2);
  });
});

describe('bad writes change nothing', () => {
  it.each([
    ['not JSON', '{"items": [', /not valid JSON/, undefined],
    ['no contact', { items: ORDER.items }, /contact/, 'contact'],
    ['a bad email', { ...ORDER, contact: { name: 'A', email: 'nope' } }, /email/, 'contact.email'],
    ['a zero quantity', { ...ORDER, items: [{ sku: 'X-1', quantity: 0 }] }, /quantity|>=1/, 'items.0.quantity'],
    ['no items', { ...ORDER, items: [] }, /items/, 'items'],
  ])('an order with %s → 400 problem+json with the field', async (_name, body, reason, field) => {
    const key = uniqueKey();
    const res = await post('/api/orders', body, key);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const problem = (await res.json()) as { detail: string; field?: string };
    expect(problem.detail).toMatch(reason);
    expect(problem.field).toBe(field);
    expect(await outboxStub(env, shardOf(key)).receipt('w0-00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(await atOrigin('orders', key)).toBe(0);
  });

  it('a bad Idempotency-Key → 400', async () => {
    const res = await post('/api/orders', ORDER, 'has space');
    expect(res.status).toBe(400);
  });

  it('one byte over the limit → 413, by Content-Length and by a chunked stream alike', async () => {
    const big = JSON.stringify({ ...ORDER, note: 'x'.repeat(16 * 1024) });
    const declared = await post('/api/orders', big, uniqueKey());
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big.slice(0, 8_000)));
        controller.enqueue(new TextEncoder().encode(big.slice(8_000)));
        controller.close();
      },
    });
    const chunked = await call('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('an unknown receipt → 404; a malformed one → 400', async () => {
    expect((await call('/api/receipts/w1-00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await call('/api/receipts/../../x')).status).toBe(404);
    expect((await call('/api/receipts/nope')).status).toBe(400);
  });
});
