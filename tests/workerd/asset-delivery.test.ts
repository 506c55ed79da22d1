/**
 * Asset delivery as the showroom sees it: ops' asset flags behind the bearer
 * token, the monitor's probes of the primary asset CDN (the example origin's
 * /cdn stand-in) and the policy it publishes for the asset worker, the product
 * API's `model` links, and /models/... answered by the real asset worker
 * through the service binding.
 */
import { env } from 'cloudflare:test';
import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { ASSET_POLICY_KEY } from '../../workers/shared/assets/asset-policy.ts';
import { HttpError } from '../../workers/shared/http/http-error.ts';
import type { ShowroomEnv } from '../../workers/showroom/app-types.ts';
import { resetModelLinks } from '../../workers/showroom/model-links.ts';
import { requireAdminToken } from '../../workers/showroom/ops-auth.ts';
import { ADMIN_TOKEN_FOR_TESTS } from './admin-token.ts';
import { call, clearFaults, resetAll, runProbes, SMALL_MANIFEST, seedSnapshot, setFault } from './helpers.ts';

const AUTH = { authorization: `Bearer ${ADMIN_TOKEN_FOR_TESTS}` };

interface AssetStatus {
  delivery: string;
  primaryCdn: { url: string | null; state: string; lastProbe: { ok: boolean } | null };
  policy: { primaryCdn: string; maxLod: number | null; viewer3d: boolean };
}

const postFlags = (body: unknown, headers: Record<string, string> = AUTH) =>
  call('/ops/flags', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const assetStatus = async () => ((await (await call('/status.json')).json()) as { assets: AssetStatus }).assets;
const storedPolicy = () => env.CATALOG_KV.get(ASSET_POLICY_KEY, 'json') as Promise<Record<string, unknown> | null>;

beforeEach(async () => {
  await resetAll();
  await env.CATALOG_KV.delete(ASSET_POLICY_KEY);
  await seedSnapshot();
});

describe('POST /ops/flags, GET /ops/assets', () => {
  it('refuses a missing or wrong token with 401 and a Bearer challenge, changing nothing', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-of-some-length' },
      { authorization: ADMIN_TOKEN_FOR_TESTS },
    ];
    for (const headers of attempts) {
      const res = await postFlags({ viewer3d: false }, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/admin token/);
    }
    expect((await call('/ops/assets')).status).toBe(401);
    expect(await storedPolicy()).toBeNull();
  });

  it.each([
    ['not JSON', '{maxLod: 1', /must be JSON/],
    ['an unknown field', JSON.stringify({ maxLOD: 1 }), /unrecognized|maxLOD/i],
    ['a level index out of range', JSON.stringify({ maxLod: 16 }), /maxLod/],
    ['a fractional level', JSON.stringify({ maxLod: 1.5 }), /maxLod/],
    ['viewer3d as a string', JSON.stringify({ viewer3d: 'off' }), /viewer3d/],
    ['no flag at all', JSON.stringify({}), /maxLod and\/or viewer3d/],
  ])('answers %s with 400 and the reason, changing nothing', async (_name, body, reason) => {
    const res = await call('/ops/flags', { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(reason);
    expect(await storedPolicy()).toBeNull();
  });

  it('sets the LOD cap and 3D switch, publishes the policy to KV for the asset worker, and shows it in /status.json', async () => {
    const res = await postFlags({ maxLod: 2 });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(((await res.json()) as AssetStatus).policy).toMatchObject({ maxLod: 2, viewer3d: true });
    expect(await storedPolicy()).toMatchObject({ maxLod: 2, viewer3d: true, primaryCdn: 'up' });

    await postFlags({ viewer3d: false });
    expect(await storedPolicy()).toMatchObject({ maxLod: 2, viewer3d: false });
    const got = (await (await call('/ops/assets', { headers: AUTH })).json()) as AssetStatus;
    expect(got.policy).toMatchObject({ maxLod: 2, viewer3d: false });
    expect((await assetStatus()).policy).toMatchObject({ maxLod: 2, viewer3d: false });

    await postFlags({ maxLod: null, viewer3d: true });
    expect(await storedPolicy()).toMatchObject({ maxLod: null, viewer3d: true });
  });
});

describe('requireAdminToken', () => {
  const guarded = (token: string | undefined) => {
    const app = new Hono<ShowroomEnv>();
    app.use('*', requireAdminToken());
    app.get('/', (c) => c.text('in'));
    app.onError((err) => new Response(err.message, { status: err instanceof HttpError ? err.status : 500 }));
    return (authorization?: string) =>
      app.request('/', { headers: authorization ? { authorization } : {} }, { ...env, ADMIN_TOKEN: token } as unknown as Env);
  };

  it('keeps the endpoints closed (503, not open) when no token or a short one is configured', async () => {
    for (const token of [undefined, '', 'short-token']) {
      const res = await guarded(token)('Bearer short-token');
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/ADMIN_TOKEN/);
    }
  });

  it('lets the exact token in, and nothing shorter, longer or differently cased', async () => {
    const request = guarded('a-long-enough-ops-token');
    expect((await request('Bearer a-long-enough-ops-token')).status).toBe(200);
    expect((await request('bearer a-long-enough-ops-token')).status).toBe(200);
    for (const wrong of [
      'Bearer a-long-enough-ops-toke',
      'Bearer a-long-enough-ops-tokenx',
      'Bearer A-LONG-ENOUGH-OPS-TOKEN',
      'Basic a-long-enough-ops-token',
    ])
      expect((await request(wrong)).status).toBe(401);
  });
});

describe('the monitor probes the primary asset CDN', () => {
  it('marks it down after 2 failed probes, alone (the origin stays live), and up again after 3 good ones', async () => {
    await runProbes(2);
    const up = await assetStatus();
    expect(up).toMatchObject({ delivery: 'primary', primaryCdn: { state: 'up', lastProbe: { ok: true } } });
    expect(up.primaryCdn.url).toMatch(/\/cdn$/);

    await setFault('down', { path: '/cdn' });
    await runProbes(1);
    expect((await assetStatus()).primaryCdn.state).toBe('up');
    await runProbes(1);
    const down = await assetStatus();
    expect(down).toMatchObject({
      delivery: 'replica',
      primaryCdn: { state: 'down', lastProbe: { ok: false } },
      policy: { primaryCdn: 'down' },
    });
    expect(await storedPolicy()).toMatchObject({ primaryCdn: 'down' });
    expect(((await (await call('/status.json')).json()) as { mode: string }).mode).toBe('live');

    await clearFaults();
    await runProbes(3);
    expect((await assetStatus()).primaryCdn.state).toBe('up');
    expect(await storedPolicy()).toMatchObject({ primaryCdn: 'up' });
  });
});

describe('the product API links published models', () => {
  it('adds model links to a product whose manifest is published, and only then', async () => {
    const before = (await (await call('/api/products/FUR-KNO-KNO-014')).json()) as { modelId?: string; model?: unknown };
    expect(before.modelId).toBe('wickerchair');
    expect(before.model).toBeUndefined();

    await env.ASSETS_R2.put('models/wickerchair/manifest.json', JSON.stringify(SMALL_MANIFEST));
    resetModelLinks();
    const after = (await (await call('/api/products/FUR-KNO-KNO-014')).json()) as { model?: unknown };
    expect(after.model).toEqual({
      id: 'wickerchair',
      manifest: '/models/wickerchair/manifest.json',
      poster: '/models/wickerchair/poster.webp',
    });
    const list = (await (await call('/api/products?category=furniture&pageSize=100')).json()) as {
      items: { sku: string; model?: { id: string } }[];
    };
    expect(list.items.find((p) => p.sku === 'FUR-KNO-KNO-014')?.model?.id).toBe('wickerchair');
    expect(list.items.filter((p) => p.model).map((p) => p.sku)).toEqual(['FUR-KNO-KNO-014']);

    await setFault('down');
    const fromSnapshot = await call('/api/products/FUR-KNO-KNO-014');
    expect(fromSnapshot.headers.get('x-vitrine-source')).toBe('snapshot');
    expect(((await fromSnapshot.json()) as { model?: { id: string } }).model?.id).toBe('wickerchair');
    await env.ASSETS_R2.delete('models/wickerchair/manifest.json');
  });
});

describe('/models/... on the showroom host', () => {
  it('is answered by the asset worker through the service binding, with its source and the mode', async () => {
    await env.ASSETS_R2.put('models/wickerchair/manifest.json', JSON.stringify(SMALL_MANIFEST));
    const res = await call('/models/unknown-model/manifest.json');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(res.headers.get('x-vitrine-source')).toBe('r2');
    expect(res.headers.get('x-vitrine-mode')).toBe('live');
    const bad = await call('/models/..%2F..%2Fsnapshots/manifest.json');
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    await env.ASSETS_R2.delete('models/wickerchair/manifest.json');
  });
});
