/**
 * Ops during an outage, in workerd against real example origins (one plays the
 * merchant's CRM and checks webhook signatures): the token guard (401, then 429),
 * forcing the mode with a reason and an expiry, the incident opened, updated
 * and resolved, signed webhooks retried across a CRM outage, message templates,
 * /status and /status.json in each mode and with KV unreachable, escaping of
 * ops' messages, the snapshot refresh.
 */
import { createExecutionContext, env, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { app } from '../../workers/showroom/app.ts';
import { monitorStub, resetModeView } from '../../workers/showroom/mode-view.ts';
import { signatureHeader } from '../../workers/showroom/ops/webhook-signature.ts';
import { tokensEqual } from '../../workers/showroom/ops-auth.ts';
import { outboxStub, WEBHOOK_SHARD } from '../../workers/showroom/outbox-shards.ts';
import { ADMIN_TOKEN_FOR_TESTS } from './admin-token.ts';
import { call, resetAll, seedSnapshot } from './helpers.ts';

const AUTH = { authorization: `Bearer ${ADMIN_TOKEN_FOR_TESTS}` };
const ops = (path: string, init: RequestInit = {}) =>
  call(path, { ...init, headers: { ...AUTH, 'content-type': 'application/json', ...init.headers } });
const setMode = (body: Record<string, unknown>) => ops('/ops/mode', { method: 'POST', body: JSON.stringify(body) });
const crmUrl = () => `http://127.0.0.1:${inject('crmPort')}/crm/webhooks`;

interface CrmEvent {
  event_id: string;
  type: string;
  outage_status: string;
  outage_channel: string;
  outage_priority: string;
  fallback_url: string;
  incident_id: string;
  message: string;
}
async function crm(): Promise<{ received: CrmEvent[]; deliveries: number; rejected: number }> {
  return (await (await fetch(crmUrl())).json()) as { received: CrmEvent[]; deliveries: number; rejected: number };
}
async function crmFault(spec: string): Promise<void> {
  const res = await fetch(`${inject('crmControlUrl')}/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ spec }),
  });
  if (!res.ok) throw new Error(`CRM fault ${spec}: ${res.status}`);
}
/** Runs the webhook shard's alarm until the CRM has an event of `incident` with `type` (bounded). */
async function deliveredToCrm(incident: string, type: string): Promise<CrmEvent> {
  for (let i = 0; i < 30; i++) {
    const found = (await crm()).received.find((e) => e.incident_id === incident && e.type === type);
    if (found) return found;
    await outboxStub(env, WEBHOOK_SHARD).replayNow();
    await runDurableObjectAlarm(outboxStub(env, WEBHOOK_SHARD));
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${type} event for ${incident} reached the CRM`);
}
const statusJson = async () =>
  (await (await call('/status.json')).json()) as {
    mode: string;
    override: { reason: string; expiresAt: string } | null;
    incident: { id: string; channel: string; status: string; updates: { message: string; by: string }[]; nextUpdateAt: string } | null;
    recentIncidents: { id: string; durationSeconds: number }[];
    components: Record<string, { state: string; detail: string }>;
    webhooks: { configured: number; targets: { url: string; pending: number; lastError: string | null; delivered: number }[] };
    transitions: { to: string; reason: string }[];
  };

beforeEach(async () => {
  await resetAll();
  await seedSnapshot();
  await crmFault('ok');
});

describe('the ops token', () => {
  it('is required (401 without or wrong), compared in constant time, and a client guessing gets 429 after 10 wrong tries', async () => {
    expect((await call('/ops/state')).status).toBe(401);
    const guesser = { 'cf-connecting-ip': '192.0.2.99' };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await call('/ops/state', { headers: { ...guesser, authorization: `Bearer wrong-token-${i}` } })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    const throttled = await call('/ops/state', { headers: { ...guesser, authorization: 'Bearer wrong-again' } });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call('/ops/state', { headers: { ...guesser, ...AUTH } })).status).toBe(200);
    // Digests of equal length go to timingSafeEqual, which would throw on unequal lengths.
    expect(await tokensEqual('short', 'a-much-longer-token')).toBe(false);
    expect(await tokensEqual(ADMIN_TOKEN_FOR_TESTS, ADMIN_TOKEN_FOR_TESTS)).toBe(true);
  });
});

describe('forcing the mode', () => {
  it('degraded with a reason opens an incident, signs a webhook the CRM verifies, and auto resolves it', async () => {
    const before = (await crm()).received.length;
    const forced = await setMode({ mode: 'degraded', reason: 'origin database migration', expiresInSeconds: 900 });
    expect(forced.status).toBe(200);
    const state = (await forced.json()) as { mode: string; override: { reason: string; expiresAt: string }; incident: { id: string } };
    expect(state.mode).toBe('degraded');
    expect(state.override.reason).toBe('origin database migration');
    expect(Date.parse(state.override.expiresAt) - Date.now()).toBeGreaterThan(890_000);
    resetModeView();
    const page = await call('/c/furniture');
    expect(page.headers.get('x-vitrine-mode')).toBe('degraded');
    expect(await page.text()).toContain('data-vitrine-banner');

    const opened = await deliveredToCrm(state.incident.id, 'incident.opened');
    expect(opened).toMatchObject({
      outage_status: 'active',
      outage_channel: 'origin',
      fallback_url: 'https://showroom.example.test/',
      incident_id: state.incident.id,
    });
    expect(['high', 'medium', 'low']).toContain(opened.outage_priority);
    expect((await crm()).rejected).toBe(0);

    expect((await setMode({ mode: 'auto', reason: 'migration done' })).status).toBe(200);
    const after = await statusJson();
    expect(after.mode).toBe('live');
    expect(after.incident).toBeNull();
    expect(after.recentIncidents[0]?.id).toBe(state.incident.id);
    const resolved = await deliveredToCrm(state.incident.id, 'incident.resolved');
    expect(resolved.outage_status).toBe('resolved');
    expect((await crm()).received.length).toBeGreaterThanOrEqual(before + 2);
  });

  it('ends by itself when the override expires', async () => {
    await setMode({ mode: 'degraded', reason: 'forgotten drill', expiresInSeconds: 600 });
    expect((await statusJson()).mode).toBe('degraded');
    await runInDurableObject(monitorStub(env), async (_instance, state) => {
      const stored = (await state.storage.get<{ override: { expiresAt: number } }>('state'))!;
      stored.override.expiresAt = Date.now() - 1_000;
      await state.storage.put('state', stored);
    });
    const { evictAllDurableObjects } = await import('cloudflare:test');
    await evictAllDurableObjects();
    const after = await statusJson();
    expect(after.mode).toBe('live');
    expect(after.override).toBeNull();
    expect(after.transitions[0]).toMatchObject({ to: 'live', reason: 'the ops override expired' });
  });

  it('refuses a bad request with the field: no reason, an unknown mode, an expiry past a day, not JSON', async () => {
    for (const [body, field] of [
      [{ mode: 'degraded' }, 'reason'],
      [{ mode: 'off', reason: 'x' }, 'mode'],
      [{ mode: 'degraded', reason: 'x', expiresInSeconds: 90_000 }, 'expiresInSeconds'],
    ] as const) {
      const res = await setMode(body);
      expect(res.status, field).toBe(400);
      expect(((await res.json()) as { field: string }).field).toBe(field);
    }
    expect((await ops('/ops/mode', { method: 'POST', body: 'degraded please' })).status).toBe(400);
    expect((await statusJson()).mode).toBe('live');
  });
});

describe('incident updates', () => {
  it('are shown escaped on /status and in the banner, and sent to the CRM; 404 without an incident', async () => {
    expect((await ops('/ops/incidents/current/updates', { method: 'POST', body: JSON.stringify({ message: 'hello' }) })).status).toBe(404);
    const { incident } = (await (await setMode({ mode: 'degraded', reason: 'drill', expiresInSeconds: 600 })).json()) as {
      incident: { id: string };
    };
    const message = 'Back by 3pm <script>alert(1)</script> & "thanks"';
    const posted = await ops('/ops/incidents/current/updates', { method: 'POST', body: JSON.stringify({ message }) });
    expect(posted.status).toBe(201);
    const status = await statusJson();
    expect(status.incident?.updates.at(-1)).toMatchObject({ message, by: 'ops' });

    const page = await (await call('/status')).text();
    expect(page).toContain('Back by 3pm &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;thanks&quot;');
    expect(page).not.toContain('<script>alert(1)');
    resetModeView();
    const banner = /<div class="vitrine-banner"[^>]*>([\s\S]*?)<\/div>/.exec(await (await call('/c/furniture')).text())?.[1] ?? '';
    expect(banner).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(banner).not.toContain('<script>');

    const updated = await deliveredToCrm(incident.id, 'incident.updated');
    expect(updated.message).toBe(message);
  });
});

describe('webhooks', () => {
  it('are retried across a CRM outage and delivered once; /status.json shows the receiver failing, then fine', async () => {
    await crmFault('down');
    const { incident } = (await (
      await setMode({ mode: 'degraded', reason: 'drill during a CRM outage', expiresInSeconds: 600 })
    ).json()) as {
      incident: { id: string };
    };
    await runDurableObjectAlarm(outboxStub(env, WEBHOOK_SHARD));
    const failing = await statusJson();
    const target = failing.webhooks.targets.find((t) => t.url === crmUrl());
    expect(target?.pending).toBeGreaterThan(0);
    expect(target?.lastError).toBeTruthy();
    expect(failing.components.webhooks?.state).toBe('degraded');

    await crmFault('ok');
    await new Promise((r) => setTimeout(r, 200)); // the CRM's port reopens asynchronously
    const opened = await deliveredToCrm(incident.id, 'incident.opened');
    expect(opened.outage_status).toBe('active');
    const { received } = await crm();
    expect(received.filter((e) => e.event_id === opened.event_id)).toHaveLength(1);
    expect((await statusJson()).components.webhooks?.state).toBe('up');
  });

  it('are refused by a receiver when forged or stale (what the README tells receivers to check)', async () => {
    const body = JSON.stringify({ event_id: 'forged.1' });
    const post = async (signature: string) =>
      (await fetch(crmUrl(), { method: 'POST', headers: { 'x-vitrine-signature': signature }, body })).status;
    expect(await post(await signatureHeader('not-the-secret', body))).toBe(401);
    expect(await post(await signatureHeader(env.WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000) - 301))).toBe(401);
    expect(await post(await signatureHeader(env.WEBHOOK_SECRET, body))).toBe(204);
  });
});

describe('message templates', () => {
  it('render for the current incident; a missing placeholder is reported (422), never sent raw', async () => {
    await setMode({ mode: 'degraded', reason: 'drill', expiresInSeconds: 600 });
    const missing = await ops('/ops/templates/email');
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { missing: string[] }).missing).toEqual(['first_name']);
    for (const name of ['banner', 'email', 'sms', 'social', 'chatbot', 'call-script']) {
      const res = await ops(`/ops/templates/${name}?first_name=Ada`);
      expect(res.status, name).toBe(200);
      const { text } = (await res.json()) as { text: string };
      expect(text, name).not.toContain('{{');
      expect(text.length, name).toBeGreaterThan(20);
    }
    const email = (await (await ops('/ops/templates/email?first_name=Ada')).json()) as { subject: string; text: string };
    expect(email.text).toContain('Ada');
    expect(email.subject).toBeTruthy();
    expect((await ops('/ops/templates/fax')).status).toBe(404);
  });
});

describe('/status and /status.json', () => {
  it('say what works in each mode, with every component', async () => {
    const live = await call('/status');
    expect(live.status).toBe(200);
    expect(live.headers.get('cache-control')).toBe('no-store');
    const liveHtml = await live.text();
    expect(liveHtml).toContain('data-mode="live"');
    expect(liveHtml).toContain('<meta http-equiv="refresh"');
    expect(liveHtml).toContain('name="viewport"');
    const components = (await statusJson()).components;
    expect(Object.keys(components).sort()).toEqual(['assetCdn', 'origin', 'outbox', 'pimSnapshot', 'webhooks']);
    // The fixture snapshot was generated on 2026-11-01: shown with its size, version and age, stale after a day.
    expect(components.pimSnapshot?.detail).toMatch(/^\d+ products, version \S+, .+ old/);
    expect(components.origin?.state).toBe('up');

    await setMode({ mode: 'degraded', reason: 'drill', expiresInSeconds: 600 });
    const degradedHtml = await (await call('/status')).text();
    expect(degradedHtml).toContain('data-mode="degraded"');
    expect(degradedHtml).toContain('Current incident');
    expect(degradedHtml).toMatch(/Next update by \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  });

  it('answer when KV is unreachable, saying the snapshot state is unknown', async () => {
    const failing = () => Promise.reject(new Error('KV unreachable'));
    const brokenKv = { get: failing, getWithMetadata: failing, put: failing, list: failing, delete: failing };
    const { resetSnapshotReader } = await import('../../workers/showroom/snapshot-access.ts');
    resetSnapshotReader();
    for (const path of ['/status', '/status.json']) {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request(`https://showroom.example.test${path}`), { ...env, CATALOG_KV: brokenKv }, ctx);
      await waitOnExecutionContext(ctx);
      expect(res.status, path).toBe(200);
      const text = await res.text();
      if (path === '/status.json') expect(JSON.parse(text).components.pimSnapshot.state).toBe('unknown');
      else expect(text).toContain('the catalog store (KV) did not answer in time');
    }
    resetSnapshotReader();
  });
});

describe('POST /ops/snapshot/refresh', () => {
  it('pulls the PIM export from the origin now', async () => {
    const res = await ops('/ops/snapshot/refresh', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });
});
