/**
 * The outbox across its shards, for /status.json and ops: counts per state
 * (each shard asked at once, a shard that does not answer in time counted as
 * unknown), and the oldest pending or dead-lettered writes.
 *
 * @example
 * await outboxCounts(env); // { pending: 3, delivered: 120, deadLetter: 1, discarded: 0, unreachableShards: 0 }
 */
import { OUTBOX_SHARDS, outboxStub, WEBHOOK_SHARD } from './outbox-shards.ts';
import type { Receipt } from './write-outbox.ts';

export interface OutboxCounts {
  pending: number;
  delivered: number;
  deadLetter: number;
  discarded: number;
  unreachableShards: number;
}

const shards = () => Array.from({ length: OUTBOX_SHARDS }, (_, shard) => shard);

export async function outboxCounts(env: Env, waitMs = 500): Promise<OutboxCounts> {
  const timeout = <T>(p: Promise<T>) => Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), waitMs))]);
  const all = await Promise.all(shards().map((s) => timeout(outboxStub(env, s).counts()).catch(() => null)));
  const total: OutboxCounts = { pending: 0, delivered: 0, deadLetter: 0, discarded: 0, unreachableShards: 0 };
  for (const c of all) {
    if (!c) total.unreachableShards++;
    else {
      total.pending += c.pending + c['in-flight'];
      total.delivered += c.delivered;
      total.deadLetter += c['dead-letter'];
      total.discarded += c.discarded;
    }
  }
  return total;
}

/** The oldest writes in a state across every shard (incident webhooks included), oldest first. */
export async function outboxList(env: Env, state: 'pending' | 'dead-letter', limit: number): Promise<Receipt[]> {
  const lists = await Promise.all([...shards(), WEBHOOK_SHARD].map((s) => outboxStub(env, s).list(state, limit)));
  return lists
    .flat()
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .slice(0, limit);
}
