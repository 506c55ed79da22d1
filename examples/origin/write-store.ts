/**
 * Orders, leads and analytics event batches of the example origin, in a real SQLite database
 * (`node:sqlite`, Node 24+), with idempotency keys enforced by the database: `UNIQUE (kind, idempotency_key)`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLOutputValue } from 'node:sqlite';

/** The write endpoints; their idempotency keys live in separate key spaces. */
export type WriteKind = 'order' | 'lead' | 'event';

/** A JSON value, as parsed from a request body. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** What the first `POST` answers (201), and every replay after it. */
export interface WriteReceipt {
  id: string;
  idempotencyKey: string;
  createdAt: string;
  kind: WriteKind;
}

/** One stored row as `GET /api/orders` / `GET /api/leads` lists it. */
export interface StoredWrite {
  id: string;
  idempotencyKey: string;
  body: JsonValue;
  createdAt: string;
}

/** The outcome of {@link WriteStore.submit}. */
export type SubmitResult =
  /** A new row; `responseBody` is the exact JSON text to answer. */
  | { outcome: 'created'; status: number; responseBody: string }
  /** Same key, same body: answer exactly what was answered the first time. */
  | { outcome: 'replayed'; status: number; responseBody: string }
  /** Same key, different body. */
  | { outcome: 'conflict' };

/** Idempotency keys: 1..255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,255}$/;

/** JSON text with object keys sorted at every depth: equal values give equal text. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of the canonical JSON of `value`: how "same body" is decided. */
export function bodyHash(value: JsonValue): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS writes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('order', 'lead', 'event')),
  idempotency_key TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  body TEXT NOT NULL,
  response_status INTEGER NOT NULL,
  response_body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (kind, idempotency_key)
);
`;

function text(row: Record<string, SQLOutputValue>, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new TypeError(`column ${column} is not text`);
  return value;
}

function integer(row: Record<string, SQLOutputValue>, column: string): number {
  const value = row[column];
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'number') throw new TypeError(`column ${column} is not an integer`);
  return value;
}

/** The SQLite-backed store behind `POST`/`GET /api/orders` and `/api/leads`. */
export class WriteStore {
  readonly #db: DatabaseSync;

  /** Opens (creating the folder and schema if needed) `path`; `:memory:` for a throwaway database. */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA busy_timeout = 5000;');
    if (path !== ':memory:') this.#db.exec('PRAGMA journal_mode = WAL;');
    this.#migrate();
    this.#db.exec(SCHEMA);
  }

  /**
   * Stores `body` under `idempotencyKey` unless that key was already used for this kind.
   * The insert is `ON CONFLICT DO NOTHING` on the unique key, so concurrent submissions of one key
   * (even from other connections or processes) store exactly one row.
   */
  submit(kind: WriteKind, idempotencyKey: string, body: JsonValue, now: Date = new Date()): SubmitResult {
    const hash = bodyHash(body);
    const receipt: WriteReceipt = { id: randomUUID(), idempotencyKey, createdAt: now.toISOString(), kind };
    const responseBody = JSON.stringify(receipt);
    const inserted = this.#db
      .prepare(
        `INSERT INTO writes (id, kind, idempotency_key, body_hash, body, response_status, response_body, created_at)
         VALUES (?, ?, ?, ?, ?, 201, ?, ?)
         ON CONFLICT (kind, idempotency_key) DO NOTHING`,
      )
      .run(receipt.id, kind, idempotencyKey, hash, JSON.stringify(body), responseBody, receipt.createdAt);
    if (Number(inserted.changes) === 1) return { outcome: 'created', status: 201, responseBody };

    const existing = this.#db
      .prepare('SELECT body_hash, response_status, response_body FROM writes WHERE kind = ? AND idempotency_key = ?')
      .get(kind, idempotencyKey);
    if (existing === undefined) throw new Error(`idempotency key ${JSON.stringify(idempotencyKey)} conflicted but no row was found`);
    if (text(existing, 'body_hash') !== hash) return { outcome: 'conflict' };
    return { outcome: 'replayed', status: integer(existing, 'response_status'), responseBody: text(existing, 'response_body') };
  }

  /** Databases made before event batches existed allow only orders and leads: rebuild the table, rows kept. */
  #migrate(): void {
    const table = this.#db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'writes'").get();
    if (table === undefined || text(table, 'sql').includes("'event'")) return;
    this.#db.exec(`BEGIN;
      ALTER TABLE writes RENAME TO writes_before_events;
      ${SCHEMA}
      INSERT INTO writes SELECT * FROM writes_before_events;
      DROP TABLE writes_before_events;
      COMMIT;`);
  }

  /** Every stored write of `kind`, oldest first. */
  list(kind: WriteKind): StoredWrite[] {
    return this.#db
      .prepare('SELECT id, idempotency_key, body, created_at FROM writes WHERE kind = ? ORDER BY seq')
      .all(kind)
      .map((row) => ({
        id: text(row, 'id'),
        idempotencyKey: text(row, 'idempotency_key'),
        body: JSON.parse(text(row, 'body')) as JsonValue,
        createdAt: text(row, 'created_at'),
      }));
  }

  /** How many writes of `kind` are stored. */
  count(kind: WriteKind): number {
    const row = this.#db.prepare('SELECT COUNT(*) AS n FROM writes WHERE kind = ?').get(kind);
    return row === undefined ? 0 : integer(row, 'n');
  }

  /** Closes the database; idempotent. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
