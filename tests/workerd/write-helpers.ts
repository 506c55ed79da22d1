/** Writes through the edge, and what the real example origin stored: shared by the outbox and write-limit tests. */
import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { inject } from 'vitest';
import { outboxStub, shardOf } from '../../workers/showroom/outbox-shards.ts';
import { call } from './helpers.ts';

export const ORDER = { items: [{ sku: 'FUR-KNO-KNO-014', quantity: 2 }], contact: { name: 'Ada Lovelace', email: 'ada@example.com' } };
export const LEAD = {
  kind: 'quote',
  contact: { name: 'Grace Hopper', email: 'grace@example.com' },
  sku: 'FUR-KNO-KNO-014',
  message: 'Ten chairs?',
};

let n = 0;
export const uniqueKey = () => `test-${Date.now()}-${++n}`;
export const post = (path: string, body: unknown, key?: string, extra: Record<string, string> = {}) =>
  call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}), ...extra },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** Rows the origin stored under this key. */
export async function atOrigin(kind: 'orders' | 'leads' | 'events', key: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${inject('originPort')}/api/${kind}`);
  const { items } = (await res.json()) as { items: { idempotencyKey?: string; key?: string }[] };
  return items.filter((item) => JSON.stringify(item).includes(key)).length;
}

/** After `down` is cleared the origin reopens its port asynchronously: wait (bounded) until it answers. */
export async function originListening(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if (
      await fetch(`http://127.0.0.1:${inject('originPort')}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the origin did not come back');
}

export const receipt = async (id: string) =>
  (await (await call(`/api/receipts/${id}`)).json()) as {
    state: string;
    attempts: number;
    updatedAt: string;
    nextAttemptAt: string | null;
    lastError: string | null;
  };

export const replay = (key: string) => runDurableObjectAlarm(outboxStub(env, shardOf(key)));

/**
 * Replays a key's shard until its write leaves `pending` (bounded): the outbox's own alarm may already be running
 * an attempt that started while the origin was down, and the test waits for that cycle to end.
 */
export async function replayUntilSettled(key: string, id: string): Promise<string> {
  let state = 'pending';
  for (let i = 0; i < 40 && state === 'pending'; i++) {
    await outboxStub(env, shardOf(key)).replayNow();
    await replay(key);
    state = (await receipt(id)).state;
    if (state === 'pending') await new Promise((r) => setTimeout(r, 100));
  }
  return state;
}
