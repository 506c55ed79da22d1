import { env, evictAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { inject } from 'vitest';
import { MIRROR_POINTER_KEY } from '../../workers/shared/mirror/mirror-layout.ts';
import { publishSnapshot } from '../../workers/shared/snapshot/publish-snapshot.ts';
import { resetMirrorPages } from '../../workers/showroom/mirror-pages.ts';
import { monitorStub, resetModeView } from '../../workers/showroom/mode-view.ts';
import { resetModelLinks } from '../../workers/showroom/model-links.ts';
import { resetBreaker } from '../../workers/showroom/origin-client.ts';
import { outboxStub, WEBHOOK_SHARD } from '../../workers/showroom/outbox-shards.ts';
import { resetSnapshotReader } from '../../workers/showroom/snapshot-access.ts';

export const CANONICAL = 'https://showroom.example.test';

/** A valid model manifest (wickerchair, one level) for tests that only need one to be published. */
export const SMALL_MANIFEST = {
  id: 'wickerchair',
  levels: [{ uri: '0-0123456789ab.glb', bytes: 10, triangles: 12, geometricError: 0, textureSize: 256 }],
  poster: { uri: 'poster-0123456789ab.webp', bytes: 10, width: 1024, height: 1024 },
  bounds: { min: [0, 0, 0], max: [1, 1, 1] },
  source: { bytes: 100, triangles: 12 },
};

/** The fixture catalog as a snapshot document (built in Node by global-setup). */
export function fixtureSnapshot(): { schemaVersion: 1; generatedAt: string; source: string; products: Record<string, unknown>[] } {
  return structuredClone(inject('snapshot')) as ReturnType<typeof fixtureSnapshot>;
}

export async function seedSnapshot(document: unknown = fixtureSnapshot()) {
  const result = await publishSnapshot({ kv: env.CATALOG_KV, r2: env.ASSETS_R2 }, document, { keepVersions: 3 });
  resetSnapshotReader();
  return result;
}

/** A request to the showroom worker through its real entry point. */
let client = 0;
/**
 * A request to the showroom worker. Each one comes from its own shopper (a fresh CF-Connecting-IP) unless the
 * caller names one, so the per-client write limits only bite in the tests about them.
 */
export function call(path: string, init?: RequestInit): Promise<Response> {
  const request = new Request(`${CANONICAL}${path}`, init);
  if (!request.headers.has('cf-connecting-ip')) {
    client = (client + 1) % 65_000;
    request.headers.set('cf-connecting-ip', `10.77.${client >> 8}.${client & 255}`);
  }
  return exports.default.fetch(request);
}

export async function setFault(spec: string, options: { path?: string; percent?: number } = {}): Promise<void> {
  const res = await fetch(`${inject('originControlUrl')}/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ spec, ...options }),
  });
  if (!res.ok) throw new Error(`setting fault ${spec} failed: ${res.status} ${await res.text()}`);
}

export async function clearFaults(): Promise<void> {
  await fetch(`${inject('originControlUrl')}/faults`, { method: 'DELETE' });
}

export async function originRequestCount(): Promise<number> {
  const stats = (await (await fetch(`${inject('originControlUrl')}/stats`)).json()) as { requests: number };
  return stats.requests;
}

/** Runs the monitor's probe alarm `times` times (what its schedule would do). */
export async function runProbes(times: number): Promise<void> {
  const stub = monitorStub(env);
  for (let i = 0; i < times; i++) {
    await stub.status(); // arms the alarm if needed
    await runDurableObjectAlarm(stub);
  }
  resetModeView();
}

/** Fresh isolate state, no faults, no published mirror, and a monitor with no alarm and no memory. */
export async function resetAll(): Promise<void> {
  await clearFaults();
  await env.CATALOG_KV.delete(MIRROR_POINTER_KEY);
  resetModeView();
  resetBreaker();
  resetSnapshotReader();
  resetMirrorPages();
  resetModelLinks();
  await webhooksIdle();
  // First end whatever the monitor is doing (a probe of a hanging origin from the last test would otherwise
  // finish after the wipe below and write its state back), then wipe it.
  await evictAllDurableObjects();
  await runInDurableObject(monitorStub(env), async (_instance, state) => {
    await state.storage.deleteAlarm();
    await state.storage.deleteAll();
  });
  await evictAllDurableObjects();
}

/**
 * Waits (bounded) until the webhook shard has no delivery queued or under way: the previous test's incident
 * events are still reaching the CRM stand-in, and evicting the object mid-request would leave that request to
 * its 5 s deadline.
 */
export async function webhooksIdle(): Promise<void> {
  const stub = outboxStub(env, WEBHOOK_SHARD);
  for (let i = 0; i < 40; i++) {
    const counts = await stub.counts();
    if (counts.pending + counts['in-flight'] === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
