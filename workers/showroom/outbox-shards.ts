/**
 * Which WriteOutbox instance holds a write: writes are spread over
 * OUTBOX_SHARDS instances by their Idempotency-Key, so one hot merchant or a
 * flood of writes cannot block the rest, and every retry of a key lands on the
 * shard that already knows it. A receipt id names its shard (`w<shard>-<uuid>`);
 * shard WEBHOOK_SHARD (8) holds incident webhooks.
 *
 * @example
 * const shard = shardOf('order-123'); // 0..7
 * outboxStub(env, shard).accept({ ..., receipt: newReceipt(shard) });
 */
export const OUTBOX_SHARDS = 8;
/** The instance that delivers incident webhooks: apart from shoppers' writes, so a CRM outage never delays an order. */
export const WEBHOOK_SHARD = OUTBOX_SHARDS;
export const RECEIPT_RE = /^w([0-9]{1,3})-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** FNV-1a of the key, modulo the shard count: stable across isolates and deploys. */
export function shardOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % OUTBOX_SHARDS;
}

export function newReceipt(shard: number): string {
  return `w${shard}-${crypto.randomUUID()}`;
}

/** The shard a receipt id names, or undefined for anything that is not a receipt id. */
export function shardOfReceipt(id: string): number | undefined {
  const shard = Number(RECEIPT_RE.exec(id)?.[1]);
  return Number.isInteger(shard) && shard <= WEBHOOK_SHARD ? shard : undefined;
}

export function outboxStub(env: Env, shard: number) {
  return env.WRITE_OUTBOX.get(env.WRITE_OUTBOX.idFromName(`outbox-${shard}`));
}
