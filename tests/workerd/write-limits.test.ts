/**
 * Analytics event batches (POST /api/events), the abuse limits on writes (per-client
 * rate limits → 429, a full outbox shard → 503) and how writes spread over the
 * outbox's shards: the showroom in workerd against the real example origin.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { EVENTS_MAX_BODY_BYTES } from '../../workers/shared/writes/write-schemas.ts';
import { OUTBOX_SHARDS, outboxStub, shardOf, shardOfReceipt } from '../../workers/showroom/outbox-shards.ts';
import { call, clearFaults, resetAll, runProbes, seedSnapshot, setFault } from './helpers.ts';
import { atOrigin, LEAD, ORDER, originListening, post, replayUntilSettled, uniqueKey } from './write-helpers.ts';

const EVENTS = { events: [{ type: 'page_view', path: '/p/knoll-saarinen-executive-conference-chair' }] };

beforeEach(async () => {
  await resetAll();
  await seedSnapshot();
});

/** The local rate limiter counts per wall-clock minute: start a counting test well inside one. */
async function freshMinute(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50));
}

describe('POST /api/events', () => {
  it('takes a batch sent as sendBeacon sends it (text/plain, key in the body), once however often it is re-sent', async () => {
    const batch = `ev-${uniqueKey()}`;
    const beacon = () =>
      call('/api/events', {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({ ...EVENTS, batch }),
      });
    const first = await beacon();
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotency-key')).toBe(batch);
    expect((await beacon()).status).toBe(200);
    expect(await atOrigin('events', batch)).toBe(1);
  });

  it('queues batches while degraded and delivers them when the origin is back', async () => {
    await setFault('down');
    await runProbes(2);
    const key = uniqueKey();
    const res = await post('/api/events', EVENTS, key);
    expect(res.status).toBe(202);
    const { receipt: id } = (await res.json()) as { receipt: string };
    await clearFaults();
    await originListening();
    expect(await replayUntilSettled(key, id)).toBe('delivered');
    expect(await atOrigin('events', key)).toBe(1);
  });

  it('refuses an empty batch, an event without a type, a bad batch id, and one byte over 64 KiB both ways, storing nothing', async () => {
    const cases: [unknown, string][] = [
      [{ events: [] }, 'events'],
      [{ events: [{ path: '/' }] }, 'events.0.type'],
      [{ ...EVENTS, batch: 'has space' }, 'batch'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/api/events', body);
      expect(res.status, field).toBe(400);
      expect(((await res.json()) as { field: string }).field).toBe(field);
    }
    const key = uniqueKey();
    const padded = JSON.stringify({ ...EVENTS, pad: '' });
    const sized = (bytes: number) => padded.replace('"pad":""', `"pad":"${'x'.repeat(bytes - padded.length)}"`);
    const over = sized(EVENTS_MAX_BODY_BYTES + 1);
    expect(new TextEncoder().encode(over).byteLength).toBe(EVENTS_MAX_BODY_BYTES + 1);
    expect((await post('/api/events', over, key)).status).toBe(413);
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(over));
        controller.close();
      },
    });
    const streamed = await call('/api/events', {
      method: 'POST',
      headers: { 'idempotency-key': key },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    const exact = sized(EVENTS_MAX_BODY_BYTES);
    expect(new TextEncoder().encode(exact).byteLength).toBe(EVENTS_MAX_BODY_BYTES);
    expect((await post('/api/events', exact, `${key}-exact`)).status).toBe(201);
    expect(await atOrigin('events', key)).toBe(1); // the `-exact` key only
  });
});

describe("GET /vitrine/events.js (the pages' analytics queue)", () => {
  it('is on every catalog page, live and degraded, and served as a self-contained script', async () => {
    for (const path of ['/', '/c/furniture']) {
      const html = await (await call(path)).text();
      expect(html, path).toMatch(/<script src="\/vitrine\/events\.js" defer><\/script>\s*<\/body>/);
    }
    await setFault('down');
    await runProbes(2);
    const degraded = await call('/c/furniture');
    expect(degraded.headers.get('x-vitrine-mode')).toBe('degraded');
    expect(await degraded.text()).toContain('<script src="/vitrine/events.js" defer></script>');

    const script = await call('/vitrine/events.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const source = await script.text();
    expect(source).toMatch(/^\(function eventQueueClient\(/);
    expect(source).not.toMatch(/__name|__publicField|require\(/);
    expect(() => new Function(source)).not.toThrow();
    const etag = script.headers.get('etag')!;
    expect((await call('/vitrine/events.js', { headers: { 'if-none-match': etag } })).status).toBe(304);
  });
});

describe('per-client rate limits', () => {
  it('answers 429 with Retry-After past 30 writes a minute from one client, storing nothing; other clients and events are not affected', async () => {
    await freshMinute();
    const client = { 'cf-connecting-ip': '203.0.113.7' };
    const keys = Array.from({ length: 31 }, () => uniqueKey());
    const statuses: number[] = [];
    for (const key of keys) statuses.push((await post('/api/leads', LEAD, key, client)).status);
    expect(statuses.slice(0, 30).every((s) => s === 201)).toBe(true);
    const limited = await post('/api/leads', LEAD, keys[30], client);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await limited.json()) as { detail: string }).detail).toMatch(/too many writes from this client/);
    expect(await atOrigin('leads', keys[30]!)).toBe(0);
    expect((await post('/api/leads', LEAD, uniqueKey(), { 'cf-connecting-ip': '203.0.113.8' })).status).toBe(201);
    expect((await post('/api/events', EVENTS, uniqueKey(), client)).status).toBe(201);
  });
});

describe('outbox shards', () => {
  it('spread writes by key: each receipt names the shard of its key, and all shards get some', async () => {
    await setFault('down');
    await runProbes(2);
    const seen = new Set<number>();
    for (let i = 0; i < 48; i++) {
      const key = uniqueKey();
      const { receipt: id } = (await (await post('/api/orders', ORDER, key)).json()) as { receipt: string };
      expect(shardOfReceipt(id)).toBe(shardOf(key));
      seen.add(shardOf(key));
    }
    expect(seen.size).toBe(OUTBOX_SHARDS);
    await clearAllShards();
  });

  it('a full shard (OUTBOX_MAX_WRITES_PER_SHARD, 40 here) answers 503 with the reason; retries of its writes and other shards still work', async () => {
    await setFault('down');
    await runProbes(2);
    const keysOf = (shard: number, count: number) => {
      const keys: string[] = [];
      while (keys.length < count) {
        const key = uniqueKey();
        if (shardOf(key) === shard) keys.push(key);
      }
      return keys;
    };
    const held = await outboxStub(env, 3).counts();
    const room = 40 - (held.pending + held['in-flight'] + held['dead-letter']);
    const keys = keysOf(3, room + 1);
    const ids: string[] = [];
    for (const key of keys.slice(0, room)) {
      const res = await post('/api/orders', ORDER, key);
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { receipt: string }).receipt);
    }
    const full = await post('/api/orders', ORDER, keys[room]);
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('60');
    expect(((await full.json()) as { detail: string }).detail).toMatch(/outbox is full/);
    const retry = await post('/api/orders', ORDER, keys[0]);
    expect(retry.status).toBe(202);
    expect(((await retry.json()) as { receipt: string }).receipt).toBe(ids[0]);
    expect((await post('/api/orders', ORDER, keysOf(4, 1)[0])).status).toBe(202);
    await clearAllShards();
  });
});

/** Forgets every queued write (these tests fill shards on purpose). */
async function clearAllShards(): Promise<void> {
  for (let shard = 0; shard < OUTBOX_SHARDS; shard++)
    await runInDurableObject(outboxStub(env, shard), async (_instance, state) => {
      state.storage.sql.exec('DELETE FROM writes');
      await state.storage.deleteAlarm();
    });
  await clearFaults();
}
