import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OriginHandle } from '../../../examples/origin/start-origin.ts';
import { bodyHash, canonicalJson, WriteStore } from '../../../examples/origin/write-store.ts';
import { postJson, startTestOrigin } from './origin-harness.ts';

let origin: OriginHandle;
const tempDir = mkdtempSync(join(tmpdir(), 'vitrine-origin-writes-'));

beforeAll(async () => {
  origin = await startTestOrigin();
});
afterAll(async () => {
  await origin.close();
  rmSync(tempDir, { recursive: true, force: true });
});

/** A valid body of each kind (the shared schemas allow extra fields, which the tests vary). */
const VALID = {
  order: { items: [{ sku: 'TST-001', quantity: 1 }], contact: { name: 'Ada', email: 'ada@example.com' } },
  lead: { kind: 'quote', contact: { name: 'Ada', email: 'ada@example.com' } },
  event: { events: [{ type: 'page_view', path: '/' }] },
} as const;
const bodyOf = (kind: keyof typeof VALID, extra: Record<string, unknown> = {}) => ({ ...VALID[kind], ...extra });
/** The same JSON value with every object's keys in reverse order. */
const reversed = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(reversed)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([k, v]) => [k, reversed(v)]),
        )
      : value;

interface Receipt {
  id: string;
  idempotencyKey: string;
  createdAt: string;
  kind: string;
}

describe.each([
  ['order', '/api/orders'],
  ['lead', '/api/leads'],
  ['event', '/api/events'],
] as const)('%s writes (%s)', (kind, path) => {
  it('stores a first submission: 201 with the receipt', async () => {
    const res = await postJson(`${origin.url}${path}`, bodyOf(kind), `${kind}-first`);
    expect(res.status).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    const receipt = (await res.json()) as Receipt;
    expect(Object.keys(receipt).sort()).toEqual(['createdAt', 'id', 'idempotencyKey', 'kind']);
    expect(receipt).toMatchObject({ idempotencyKey: `${kind}-first`, kind });
    expect(Number.isNaN(Date.parse(receipt.createdAt))).toBe(false);
  });

  it('replays the same key + same body (keys in any order): same status and body, Idempotent-Replayed, no new row', async () => {
    const key = `${kind}-replay`;
    const body = bodyOf(kind, { a: 1, b: { c: [1, 2], d: 'x' } });
    const first = await postJson(`${origin.url}${path}`, body, key);
    const firstText = await first.text();
    const second = await postJson(`${origin.url}${path}`, JSON.stringify(reversed(body)), key);
    expect(JSON.stringify(reversed(body))).not.toBe(JSON.stringify(body));
    expect(second.status).toBe(first.status);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.text()).toBe(firstText);
    const list = (await (await fetch(`${origin.url}${path}`)).json()) as { items: { idempotencyKey: string }[] };
    expect(list.items.filter((i) => i.idempotencyKey === key)).toHaveLength(1);
  });

  it('answers 422 problem+json for the same key with a different body', async () => {
    const key = `${kind}-conflict`;
    expect((await postJson(`${origin.url}${path}`, bodyOf(kind, { qty: 1 }), key)).status).toBe(201);
    const res = await postJson(`${origin.url}${path}`, bodyOf(kind, { qty: 2 }), key);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ type: 'about:blank', status: 422 });
  });

  it.each([
    ['no Idempotency-Key', { x: 1 }, undefined, /Idempotency-Key header is required/],
    ['an empty key', { x: 1 }, '', /Idempotency-Key/],
    ['a key with a space', { x: 1 }, 'a b', /visible ASCII/],
    ['a 256-char key', { x: 1 }, 'k'.repeat(256), /visible ASCII/],
    ['invalid JSON', '{"x":', 'bad-json', /not valid JSON/],
    ['a JSON array', '[1,2]', 'array-body', /JSON object/],
    ['JSON null', 'null', 'null-body', /JSON object/],
    ['a JSON string', '"hello"', 'string-body', /JSON object/],
  ])('rejects %s with 400 problem+json', async (_label, body, key, detail) => {
    const res = await postJson(`${origin.url}${path}`, body, key);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
  });

  it('accepts a 255-char key of visible ASCII', async () => {
    const key = `${kind}!~`.padEnd(255, 'z');
    expect((await postJson(`${origin.url}${path}`, bodyOf(kind, { long: true }), key)).status).toBe(201);
  });

  it('refuses a body that is not a valid write of its kind with 422 problem+json naming the field, storing nothing', async () => {
    const key = `${kind}-invalid`;
    const invalid = kind === 'event' ? { events: [] } : { ...VALID[kind], contact: { name: 'Ada', email: 'not-an-email' } };
    const res = await postJson(`${origin.url}${path}`, invalid, key);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: string }).detail).toMatch(kind === 'event' ? /^events:/ : /^contact\.email:/);
    const list = (await (await fetch(`${origin.url}${path}`)).json()) as { items: { idempotencyKey: string }[] };
    expect(list.items.filter((i) => i.idempotencyKey === key)).toHaveLength(0);
  });

  it('stores one row for concurrent submissions of one key', async () => {
    const key = `${kind}-concurrent`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postJson(`${origin.url}${path}`, bodyOf(kind, { burst: true }), key)),
    );
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.every((r) => r.status === 201)).toBe(true);
    expect(new Set(bodies).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    const list = (await (await fetch(`${origin.url}${path}`)).json()) as { items: { idempotencyKey: string }[] };
    expect(list.items.filter((i) => i.idempotencyKey === key)).toHaveLength(1);
  });
});

describe('listing writes', () => {
  it('lists everything stored, oldest first, with the parsed body; orders and leads have separate key spaces', async () => {
    const fresh = await startTestOrigin();
    try {
      expect((await postJson(`${fresh.url}/api/orders`, bodyOf('order', { n: 1 }), 'shared-key')).status).toBe(201);
      expect((await postJson(`${fresh.url}/api/orders`, bodyOf('order', { n: 2 }), 'second')).status).toBe(201);
      const lead = await postJson(`${fresh.url}/api/leads`, bodyOf('lead', { note: 'a' }), 'shared-key');
      expect(lead.status).toBe(201);
      expect(lead.headers.get('idempotent-replayed')).toBeNull();

      const orders = (await (await fetch(`${fresh.url}/api/orders`)).json()) as { items: Record<string, unknown>[]; total: number };
      expect(orders.total).toBe(2);
      expect(orders.items.map((i) => i.body)).toEqual([bodyOf('order', { n: 1 }), bodyOf('order', { n: 2 })]);
      expect(Object.keys(orders.items[0]!).sort()).toEqual(['body', 'createdAt', 'id', 'idempotencyKey']);
      const leads = (await (await fetch(`${fresh.url}/api/leads`)).json()) as { items: Record<string, unknown>[]; total: number };
      expect(leads).toMatchObject({ total: 1, items: [{ idempotencyKey: 'shared-key', body: { note: 'a' } }] });
    } finally {
      await fresh.close();
    }
  });
});

describe('WriteStore', () => {
  it('creates the database folder and keeps rows across restarts', async () => {
    const dbPath = join(tempDir, 'nested', 'deeper', 'origin.sqlite');
    const first = await startTestOrigin({ dbPath });
    expect((await postJson(`${first.url}/api/orders`, bodyOf('order', { persisted: true }), 'persist-1')).status).toBe(201);
    await first.close();
    expect(existsSync(dbPath)).toBe(true);
    const second = await startTestOrigin({ dbPath });
    try {
      const replay = await postJson(`${second.url}/api/orders`, bodyOf('order', { persisted: true }), 'persist-1');
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(((await (await fetch(`${second.url}/api/orders`)).json()) as { total: number }).total).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('enforces key uniqueness in the database, across connections', () => {
    const dbPath = join(tempDir, 'two-connections.sqlite');
    const a = new WriteStore(dbPath);
    const b = new WriteStore(dbPath);
    try {
      expect(a.submit('order', 'k1', { v: 1 }).outcome).toBe('created');
      expect(b.submit('order', 'k1', { v: 1 }).outcome).toBe('replayed');
      expect(b.submit('order', 'k1', { v: 2 }).outcome).toBe('conflict');
      expect(b.submit('lead', 'k1', { v: 2 }).outcome).toBe('created');
      expect(a.count('order')).toBe(1);
      expect(a.count('lead')).toBe(1);
    } finally {
      a.close();
      b.close();
    }
  });

  it('upgrades a database made before event batches, keeping its rows', () => {
    const dbPath = join(tempDir, 'before-events.sqlite');
    const old = new DatabaseSync(dbPath);
    old.exec(`CREATE TABLE writes (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('order', 'lead')), idempotency_key TEXT NOT NULL, body_hash TEXT NOT NULL,
      body TEXT NOT NULL, response_status INTEGER NOT NULL, response_body TEXT NOT NULL, created_at TEXT NOT NULL,
      UNIQUE (kind, idempotency_key));
      INSERT INTO writes (id, kind, idempotency_key, body_hash, body, response_status, response_body, created_at)
      VALUES ('r1', 'order', 'old-key', '${bodyHash({ v: 1 })}', '{"v":1}', 201, '{}', '2026-01-01T00:00:00.000Z');`);
    old.close();
    const store = new WriteStore(dbPath);
    try {
      expect(store.submit('order', 'old-key', { v: 1 }).outcome).toBe('replayed');
      expect(store.submit('event', 'batch-1', { events: [] }).outcome).toBe('created');
      expect([store.count('order'), store.count('event')]).toEqual([1, 1]);
    } finally {
      store.close();
    }
  });

  it('hashes canonical JSON', () => {
    expect(canonicalJson({ b: [1, { y: 2, x: 1 }], a: null })).toBe('{"a":null,"b":[1,{"x":1,"y":2}]}');
    expect(bodyHash({ a: 1, b: 2 })).toBe(bodyHash({ b: 2, a: 1 }));
    expect(bodyHash({ a: 1 })).not.toBe(bodyHash({ a: '1' }));
  });
});
