/**
 * WriteOutbox Durable Object: shopper writes (order intents, leads, analytics
 * event batches) that must reach the origin exactly once. One instance per shard (writes are spread by
 * their Idempotency-Key, see outbox-shards.ts), each with its own SQLite table.
 *
 * - `accept()` commits the write durably first. Live, it then forwards it to the
 *   origin within the deadline: delivered → the origin's answer; refused (4xx) →
 *   the origin's answer, and the write is forgotten; a timeout, network error or
 *   5xx → it stays queued. Degraded, it is queued straight away. A shard holding
 *   OUTBOX_MAX_WRITES_PER_SHARD undelivered writes refuses new ones (`full`).
 * - Idempotency (IETF Idempotency-Key draft): the same key and body → the same
 *   receipt; the same key, another body → conflict (422); a key whose first
 *   request is still being forwarded → in-flight (409).
 * - The alarm replays queued writes oldest first, REPLAY_CONCURRENCY at a time,
 *   with exponential backoff and jitter, the key forwarded so the origin
 *   deduplicates. A failed attempt ends the pass (the rest wait with it, so a
 *   failing origin is not hammered); an origin 4xx, or OUTBOX_MAX_ATTEMPTS
 *   attempts, moves a write to the dead-letter list. Delivered writes keep only
 *   their receipt (the body is dropped) and are forgotten after RECEIPT_KEEP_MS.
 *
 * - Incident webhooks (`acceptWebhook`, the WEBHOOK_SHARD instance) ride the
 *   same queue: a row with a `target` URL, signed with WEBHOOK_SECRET at every
 *   attempt (ops/webhook-signature.ts) so a retry carries a fresh timestamp.
 *
 * RPC: `accept(input)`, `acceptWebhook(input)`, `receipt(id)`, `replayNow()`, and for ops `counts()`,
 * `list(state, limit)`, `retry(id)`, `discard(id, reason)`, `webhookTargets()`.
 */
import { DurableObject } from 'cloudflare:workers';
import { logEvent, useMetrics } from '../shared/observability/log-event.ts';
import { WRITE_PATHS, type WriteKind } from '../shared/writes/write-schemas.ts';
import { readConfig } from './config.ts';
import { SIGNATURE_HEADER, signatureHeader } from './ops/webhook-signature.ts';
import { newReceipt, WEBHOOK_SHARD } from './outbox-shards.ts';

export type WriteState = 'in-flight' | 'pending' | 'delivered' | 'dead-letter' | 'discarded';
/** What a row carries: a shopper's write for the origin, or an incident event for a webhook URL. */
export type OutboxKind = WriteKind | 'webhook';

/** A webhook receiver gets this long per attempt. */
export const WEBHOOK_DEADLINE_MS = 5_000;

/** Per webhook URL: where its deliveries stand (for /status.json). */
export interface WebhookTarget {
  url: string;
  pending: number;
  delivered: number;
  deadLetter: number;
  lastDeliveredAt: string | null;
  lastError: string | null;
}

export interface AcceptInput {
  kind: WriteKind;
  key: string;
  /** Canonical JSON of the validated body. */
  body: string;
  /** Hex SHA-256 of `body`. */
  hash: string;
  /** Whether to forward now (live) or queue straight away (degraded). */
  live: boolean;
  /** The receipt id to give a new write (its shard is in it). */
  receipt: string;
}

export type AcceptResult =
  | { outcome: 'delivered'; receipt: string; status: number; body: string }
  | { outcome: 'refused'; status: number; body: string }
  | { outcome: 'full'; held: number }
  | { outcome: 'queued'; receipt: string; reason: string }
  | { outcome: 'seen'; receipt: string; state: WriteState }
  | { outcome: 'conflict' }
  | { outcome: 'in-flight' };

export interface Receipt {
  receipt: string;
  kind: OutboxKind;
  state: WriteState;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  nextAttemptAt: string | null;
  lastError: string | null;
}

export const OUTBOX_DEFAULTS = {
  baseDelayMs: 2_000,
  maxDelayMs: 5 * 60_000,
  /** A forward that has not settled after this long is treated as failed (its isolate went away). */
  inFlightStaleMs: 30_000,
  batch: 50,
};
/** Writes replayed side by side within one alarm pass. */
export const REPLAY_CONCURRENCY = 4;
/** States whose writes still carry their body (count against the shard's cap). */
const HELD_STATES = "('pending', 'in-flight', 'dead-letter')";
export const RECEIPT_KEEP_MS = 7 * 24 * 3_600_000;

type Row = {
  key: string;
  receipt: string;
  kind: OutboxKind;
  target: string | null;
  body: string;
  hash: string;
  state: WriteState;
  attempts: number;
  next_at: number | null;
  created_at: number;
  updated_at: number;
  last_error: string | null;
};

/** Delay before attempt `attempts + 1`: base × 2^(attempts−1), capped, with full jitter in [½, 1] of it. */
export function backoffMs(attempts: number, random = Math.random(), o = OUTBOX_DEFAULTS): number {
  const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export class WriteOutbox extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    useMetrics(env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS writes (
      key TEXT PRIMARY KEY, receipt TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, body TEXT NOT NULL, hash TEXT NOT NULL,
      state TEXT NOT NULL, attempts INTEGER NOT NULL, next_at INTEGER, created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL, last_error TEXT)`);
    ctx.storage.sql.exec('CREATE INDEX IF NOT EXISTS writes_by_state ON writes (state, next_at)');
    const columns = ctx.storage.sql.exec<{ name: string }>('PRAGMA table_info(writes)').toArray();
    if (!columns.some((c) => c.name === 'target')) ctx.storage.sql.exec('ALTER TABLE writes ADD COLUMN target TEXT');
  }

  /** Queues an incident event for one webhook URL (idempotent by key); delivery starts at once. */
  async acceptWebhook(input: { key: string; target: string; body: string }): Promise<{ receipt: string; queued: boolean }> {
    const existing = this.#row(input.key);
    if (existing) return { receipt: existing.receipt, queued: false };
    const now = Date.now();
    const receipt = newReceipt(WEBHOOK_SHARD);
    this.ctx.storage.sql.exec(
      "INSERT INTO writes (key, receipt, kind, target, body, hash, state, attempts, next_at, created_at, updated_at) VALUES (?, ?, 'webhook', ?, ?, '', 'pending', 0, ?, ?, ?)",
      input.key,
      receipt,
      input.target,
      input.body,
      now,
      now,
      now,
    );
    await this.#armAlarm();
    return { receipt, queued: true };
  }

  /** Per webhook URL: counts, the last delivery and the last error. */
  async webhookTargets(): Promise<WebhookTarget[]> {
    const rows = this.ctx.storage.sql
      .exec<{ target: string; pending: number; delivered: number; dead: number; last_ok: number | null }>(
        `SELECT target,
           SUM(CASE WHEN state IN ('pending', 'in-flight') THEN 1 ELSE 0 END) AS pending,
           SUM(CASE WHEN state = 'delivered' THEN 1 ELSE 0 END) AS delivered,
           SUM(CASE WHEN state = 'dead-letter' THEN 1 ELSE 0 END) AS dead,
           MAX(CASE WHEN state = 'delivered' THEN updated_at END) AS last_ok
         FROM writes WHERE kind = 'webhook' GROUP BY target ORDER BY target`,
      )
      .toArray();
    return rows.map((r) => {
      const lastError =
        this.ctx.storage.sql
          .exec<{ last_error: string }>(
            "SELECT last_error FROM writes WHERE kind = 'webhook' AND target = ? AND last_error IS NOT NULL AND state != 'delivered' ORDER BY updated_at DESC LIMIT 1",
            r.target,
          )
          .toArray()[0]?.last_error ?? null;
      return {
        url: r.target,
        pending: r.pending,
        delivered: r.delivered,
        deadLetter: r.dead,
        lastDeliveredAt: r.last_ok === null ? null : new Date(r.last_ok).toISOString(),
        lastError,
      };
    });
  }

  async accept(input: AcceptInput): Promise<AcceptResult> {
    const now = Date.now();
    const existing = this.#row(input.key);
    if (existing) {
      if (existing.hash !== input.hash) return { outcome: 'conflict' };
      if (existing.state === 'in-flight' && now - existing.updated_at < OUTBOX_DEFAULTS.inFlightStaleMs) return { outcome: 'in-flight' };
      return { outcome: 'seen', receipt: existing.receipt, state: existing.state === 'in-flight' ? 'pending' : existing.state };
    }
    const held = this.ctx.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM writes WHERE state IN ${HELD_STATES}`).one().n;
    if (held >= readConfig(this.env).outboxMaxWritesPerShard) {
      logEvent({ event: 'outbox-full', kind: input.kind, held });
      return { outcome: 'full', held };
    }
    this.ctx.storage.sql.exec(
      'INSERT INTO writes (key, receipt, kind, body, hash, state, attempts, next_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)',
      input.key,
      input.receipt,
      input.kind,
      input.body,
      input.hash,
      input.live ? 'in-flight' : 'pending',
      // Degraded: the origin is known to be down, so the first attempt waits one backoff step
      // (the monitor's recovery replays everything at once anyway, see replayNow).
      input.live ? null : now + backoffMs(1),
      now,
      now,
    );
    if (!input.live) {
      await this.#armAlarm();
      return { outcome: 'queued', receipt: input.receipt, reason: 'degraded' };
    }
    // A safety net: if this isolate dies mid-forward, the alarm finds the write still in flight and queues it.
    const safety = now + OUTBOX_DEFAULTS.inFlightStaleMs + 1_000;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > safety) await this.ctx.storage.setAlarm(safety);
    const row = this.#row(input.key)!;
    const sent = await this.#deliver(row, readConfig(this.env).originDeadlineMs, true);
    if (sent.kind === 'delivered') return { outcome: 'delivered', receipt: input.receipt, status: sent.status, body: sent.body };
    if (sent.kind === 'refused') {
      // The shopper hears the origin's refusal now; nothing is queued or dead-lettered for it.
      this.ctx.storage.sql.exec('DELETE FROM writes WHERE key = ?', input.key);
      return { outcome: 'refused', status: sent.status, body: sent.body };
    }
    await this.#armAlarm();
    return { outcome: 'queued', receipt: input.receipt, reason: sent.reason };
  }

  async receipt(id: string): Promise<Receipt | null> {
    const row = this.ctx.storage.sql.exec<Row>('SELECT * FROM writes WHERE receipt = ?', id).toArray()[0];
    if (!row) return null;
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      receipt: row.receipt,
      kind: row.kind,
      state: row.state === 'in-flight' ? 'pending' : row.state,
      attempts: row.attempts,
      createdAt: iso(row.created_at)!,
      updatedAt: iso(row.updated_at)!,
      nextAttemptAt: row.state === 'pending' ? iso(row.next_at) : null,
      lastError: row.last_error,
    };
  }

  /** How many writes this shard holds per state. */
  async counts(): Promise<Record<WriteState, number>> {
    const counts: Record<WriteState, number> = { 'in-flight': 0, pending: 0, delivered: 0, 'dead-letter': 0, discarded: 0 };
    for (const row of this.ctx.storage.sql.exec<{ state: WriteState; n: number }>('SELECT state, COUNT(*) AS n FROM writes GROUP BY state'))
      counts[row.state] = row.n;
    return counts;
  }

  /** The oldest writes in a state (pending includes in-flight), receipts only. */
  async list(state: 'pending' | 'dead-letter', limit: number): Promise<Receipt[]> {
    const states = state === 'pending' ? ['pending', 'in-flight'] : ['dead-letter'];
    const rows = this.ctx.storage.sql
      .exec<{ receipt: string }>(
        `SELECT receipt FROM writes WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY created_at LIMIT ?`,
        ...states,
        limit,
      )
      .toArray();
    const receipts = await Promise.all(rows.map((r) => this.receipt(r.receipt)));
    return receipts.filter((r): r is Receipt => r !== null);
  }

  /** Ops: a dead-lettered write goes back to the queue, with a fresh attempt budget; false when it is not dead-lettered. */
  async retry(id: string): Promise<boolean> {
    const now = Date.now();
    const changed = this.ctx.storage.sql.exec(
      "UPDATE writes SET state = 'pending', attempts = 0, next_at = ?, updated_at = ? WHERE receipt = ? AND state = 'dead-letter'",
      now,
      now,
      id,
    ).rowsWritten;
    if (changed > 0) {
      logEvent({ event: 'outbox-retry-by-ops', receipt: id });
      await this.#armAlarm();
    }
    return changed > 0;
  }

  /** Ops: a queued or dead-lettered write is dropped for good (its receipt says why); false when there is no such write. */
  async discard(id: string, reason: string): Promise<boolean> {
    const changed = this.ctx.storage.sql.exec(
      "UPDATE writes SET state = 'discarded', body = '', next_at = NULL, updated_at = ?, last_error = ? WHERE receipt = ? AND state IN ('pending', 'dead-letter')",
      Date.now(),
      `discarded by ops: ${reason}`,
      id,
    ).rowsWritten;
    if (changed > 0) logEvent({ event: 'outbox-discarded-by-ops', receipt: id, reason });
    return changed > 0;
  }

  /** Replays everything queued now (the origin is back), not waiting for the next scheduled attempt. */
  async replayNow(): Promise<void> {
    this.ctx.storage.sql.exec("UPDATE writes SET next_at = ? WHERE state = 'pending'", Date.now());
    await this.ctx.storage.setAlarm(Date.now());
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const stale = now - OUTBOX_DEFAULTS.inFlightStaleMs;
    this.ctx.storage.sql.exec("UPDATE writes SET state = 'pending', next_at = ? WHERE state = 'in-flight' AND updated_at < ?", now, stale);
    this.ctx.storage.sql.exec("DELETE FROM writes WHERE state IN ('delivered', 'discarded') AND updated_at < ?", now - RECEIPT_KEEP_MS);
    const due = this.ctx.storage.sql
      .exec<Row>("SELECT * FROM writes WHERE state = 'pending' AND next_at <= ? ORDER BY created_at LIMIT ?", now, OUTBOX_DEFAULTS.batch)
      .toArray();
    const { originDeadlineMs } = readConfig(this.env);
    for (let i = 0; i < due.length; i += REPLAY_CONCURRENCY) {
      const outcomes = await Promise.all(due.slice(i, i + REPLAY_CONCURRENCY).map((row) => this.#deliver(row, originDeadlineMs)));
      // A failing destination (the origin, or one webhook URL): the rest of its writes in this pass wait for
      // the earliest retry instead of hammering it; other destinations go on.
      const chunk = due.slice(i, i + REPLAY_CONCURRENCY);
      const failing = new Map<string, number>();
      chunk.forEach((row, j) => {
        const o = outcomes[j]!;
        if (o.kind === 'failed' && o.retryAt !== undefined)
          failing.set(row.target ?? '', Math.min(o.retryAt, failing.get(row.target ?? '') ?? Infinity));
      });
      if (failing.size === 0) continue;
      const rest = due.slice(i + REPLAY_CONCURRENCY);
      for (const row of rest) {
        const retryAt = failing.get(row.target ?? '');
        if (retryAt !== undefined)
          this.ctx.storage.sql.exec("UPDATE writes SET next_at = ? WHERE key = ? AND state = 'pending'", retryAt, row.key);
      }
      due.splice(i + REPLAY_CONCURRENCY, rest.length, ...rest.filter((row) => !failing.has(row.target ?? '')));
    }
    await this.#armAlarm();
    // Writes still being forwarded live need a later look, in case their forward never settles.
    const inFlight = this.ctx.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM writes WHERE state = 'in-flight'").one().n;
    if (inFlight > 0 && (await this.ctx.storage.getAlarm()) === null)
      await this.ctx.storage.setAlarm(Date.now() + OUTBOX_DEFAULTS.inFlightStaleMs + 1_000);
  }

  #row(key: string): Row | undefined {
    return this.ctx.storage.sql.exec<Row>('SELECT * FROM writes WHERE key = ?', key).toArray()[0];
  }

  /** One attempt at the origin; records the outcome (a live refusal is left to the caller). */
  async #deliver(
    row: Row,
    deadlineMs: number,
    live = false,
  ): Promise<
    | { kind: 'delivered'; status: number; body: string }
    | { kind: 'refused'; status: number; body: string }
    | { kind: 'failed'; reason: string; retryAt?: number }
  > {
    const attempts = row.attempts + 1;
    this.ctx.storage.sql.exec(
      "UPDATE writes SET state = 'in-flight', attempts = ?, updated_at = ? WHERE key = ?",
      attempts,
      Date.now(),
      row.key,
    );
    let status = 0;
    let text = '';
    let error: string;
    const webhook = row.kind === 'webhook';
    if (webhook) deadlineMs = WEBHOOK_DEADLINE_MS;
    // A timer cleared as soon as the attempt settles (AbortSignal.timeout's would keep the object busy until it fires).
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new DOMException(`no answer within ${deadlineMs} ms`, 'TimeoutError')), deadlineMs);
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': row.key };
      if (webhook) {
        headers[SIGNATURE_HEADER] = await signatureHeader(this.env.WEBHOOK_SECRET ?? '', row.body);
        headers['user-agent'] = 'Vitrine-Webhooks/1';
      }
      const url = webhook ? row.target! : `${readConfig(this.env).originUrl}${WRITE_PATHS[row.kind as WriteKind]}`;
      const res = await fetch(url, { method: 'POST', headers, body: row.body, signal: abort.signal });
      status = res.status;
      text = await res.text();
      error = `${webhook ? 'receiver' : 'origin'} answered ${status}`;
      // A 2xx is the origin's acknowledgement only with a JSON body: a garbled or HTML 200 (a broken proxy in
      // between) may not have stored anything, so it is retried (the Idempotency-Key makes a retry safe).
      if (!webhook && status >= 200 && status < 300 && !isJsonObject(text)) {
        error = `origin answered ${status} with a body that is not a JSON object`;
        status = 0;
      }
    } catch (err) {
      error = abort.signal.aborted ? `no answer within ${deadlineMs} ms` : String(err instanceof Error ? err.message : err);
    } finally {
      clearTimeout(timer);
    }
    const now = Date.now();
    if (status >= 200 && status < 300) {
      this.ctx.storage.sql.exec(
        "UPDATE writes SET state = 'delivered', body = '', next_at = NULL, updated_at = ?, last_error = NULL WHERE key = ?",
        now,
        row.key,
      );
      log('outbox-delivered', row, attempts);
      return { kind: 'delivered', status, body: text };
    }
    const refused = status >= 400 && status < 500 && status !== 408 && status !== 429;
    if (refused && live) return { kind: 'refused', status, body: text };
    if (refused || attempts >= readConfig(this.env).outboxMaxAttempts) {
      const reason = refused ? `the origin refused it (${status}): ${text.slice(0, 300)}` : `${attempts} attempts failed; last: ${error}`;
      this.ctx.storage.sql.exec(
        "UPDATE writes SET state = 'dead-letter', next_at = NULL, updated_at = ?, last_error = ? WHERE key = ?",
        now,
        reason,
        row.key,
      );
      log('outbox-dead-letter', row, attempts, reason);
      return { kind: 'failed', reason };
    }
    const retryAt = now + backoffMs(attempts);
    this.ctx.storage.sql.exec(
      "UPDATE writes SET state = 'pending', next_at = ?, updated_at = ?, last_error = ? WHERE key = ?",
      retryAt,
      now,
      error,
      row.key,
    );
    log('outbox-retry-scheduled', row, attempts, error);
    return { kind: 'failed', reason: error, retryAt };
  }

  /** Sets the alarm to the earliest due write, if any is pending. */
  async #armAlarm(): Promise<void> {
    const when = this.ctx.storage.sql
      .exec<{ next: number | null }>("SELECT MIN(next_at) AS next FROM writes WHERE state = 'pending'")
      .one().next;
    if (when === null) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > when) await this.ctx.storage.setAlarm(when);
  }
}

function log(event: string, row: Row, attempts: number, error?: string) {
  const name = row.kind === 'webhook' ? event.replace('outbox-', 'webhook-') : event;
  console.log(
    JSON.stringify({
      event: name,
      receipt: row.receipt,
      kind: row.kind,
      attempts,
      ...(row.target ? { url: row.target } : {}),
      ...(error ? { error } : {}),
    }),
  );
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
