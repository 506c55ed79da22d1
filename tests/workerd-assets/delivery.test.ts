/**
 * What the asset worker refuses and how it falls back: malformed keys never
 * reach R2, unknown models are 404 JSON, ops' policy filters the served
 * manifest, missing and corrupt levels never become broken bytes, the poster
 * alias, and the primary CDN (the example origin's /cdn) with each fault.
 */
import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, call, cdnFault, clearCache, file, files, HOST, publishAll, put, resetAssetWorker, setPolicy } from './helpers.ts';
import type { PublishedFile } from './provided-context.ts';

interface Manifest {
  id: string;
  levels: { uri: string }[];
  poster: { uri: string };
  policy: { maxLod: number | null; viewer3d: boolean };
}

const manifest = async (id = 'damagedhelmet') => (await (await call(`/models/${id}/manifest.json`)).json()) as Manifest;
const levelFiles = (id: string) => files().filter((f) => new RegExp(`^models/${id}/\\d+-[0-9a-f]{12}\\.glb$`).test(f.key));

beforeAll(async () => {
  await publishAll();
});

beforeEach(async () => {
  await setPolicy({ primaryCdn: 'down' });
  await cdnFault('ok');
  await clearCache();
  resetAssetWorker();
});

describe('keys are checked before R2 is touched', () => {
  const SENTINEL = 'SENTINEL: this object must never be served';
  /** Every key a careless worker could derive from a path: as sent, as the URL parser leaves it, decoded once and twice. */
  const naiveKeys = (p: string) => {
    const keys = new Set([p.slice(1), new URL(p, HOST).pathname.slice(1)]);
    for (const k of [...keys]) {
      const once = decodeURIComponent(k);
      keys.add(once);
      keys.add(decodeURIComponent(once));
    }
    return [...keys].filter((k) => k.length > 0 && k.length <= 1024);
  };

  // The URL parser resolves `..` and `%2e%2e` before the worker sees the path: they arrive outside /models (404).
  it.each([
    ['/models/../snapshots/pointer.json', 404],
    ['/models/%2e%2e/manifest.json', 404],
    ['/models/damagedhelmet%2F..%2F..%2Fx/manifest.json', 400],
    ['/models/damagedhelmet/..%2Fmanifest.json', 400],
    ['/models/damagedhelmet/%252e%252e%252fmanifest.json', 400],
    ['/models/damagedhelmet%252F..%252Fwickerchair/manifest.json', 400],
    ['/models/damagedhelmet/x%5C..%5Cmanifest.json', 400],
    ['/models/damagedhelmet/x%00.glb', 400],
    ['/models/DamagedHelmet/manifest.json', 400],
    [`/models/${'a'.repeat(64)}/manifest.json`, 400],
    [`/models/damagedhelmet/${'0'.repeat(300)}.glb`, 400],
    ['/models/damagedhelmet/secrets.txt', 404],
    ['/models/damagedhelmet/0-XYZ.glb', 404],
    ['/models/damagedhelmet/0-7FEDF9BA4577.glb', 404],
    ['/models/damagedhelmet/MANIFEST.JSON', 404],
    ['/models/damagedhelmet', 404],
    ['/snapshots/pointer.json', 404],
    ['/viewer/../models/x', 404],
    ['/viewer/evil.exe', 404],
    ['/viewer/sub/viewer.js', 404],
  ])('%s → %d JSON with a reason, the object at any naive key untouched', async (p, status) => {
    for (const key of naiveKeys(p)) await env.ASSETS_R2.put(key, SENTINEL);
    const res = await call(p);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text).not.toContain('SENTINEL');
    const body = JSON.parse(text) as { error: string };
    expect(body.error.length).toBeGreaterThan(5);
    expect(text).not.toMatch(/at .*\.ts|stack/i);
    for (const key of naiveKeys(p)) await env.ASSETS_R2.delete(key);
  });

  it('an unknown model is 404 JSON, for each of its files', async () => {
    const res = await call('/models/no-such-model/manifest.json');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await res.json()) as { error: string }).error).toMatch(/no-such-model/);
    for (const p of ['/models/no-such-model/tileset.json', '/models/no-such-model/0-0123456789ab.glb', '/viewer/no-such-file.js'])
      expect((await call(p)).status).toBe(404);
  });
});

describe('the served manifest', () => {
  it('lists every level in order, with the poster, when nothing limits it', async () => {
    const m = await manifest();
    expect(m.levels.length).toBe(levelFiles('damagedhelmet').length);
    expect(m.levels.map((l) => l.uri.split('-')[0])).toEqual(m.levels.map((_, i) => String(i)));
    expect(m.policy).toEqual({ maxLod: null, viewer3d: true });
  });

  it('caps detail at maxLod, keeping at least the first-paint level', async () => {
    const all = (await manifest()).levels.map((l) => l.uri);
    await setPolicy({ primaryCdn: 'down', maxLod: 2 });
    expect((await manifest()).levels.map((l) => l.uri)).toEqual(all.slice(2));
    await setPolicy({ primaryCdn: 'down', maxLod: 15 });
    expect((await manifest()).levels.map((l) => l.uri)).toEqual(all.slice(-1));
  });

  it('lists only the poster when 3D is off, and its ETag changes with the policy', async () => {
    const on = await call('/models/damagedhelmet/manifest.json');
    await setPolicy({ primaryCdn: 'down', viewer3d: false });
    const off = await call('/models/damagedhelmet/manifest.json');
    const body = (await off.json()) as Manifest;
    expect(body.levels).toEqual([]);
    expect(body.poster.uri).toMatch(/^poster-[0-9a-f]{12}\.webp$/);
    expect(body.policy.viewer3d).toBe(false);
    expect(off.headers.get('etag')).not.toBe(on.headers.get('etag'));
  });

  it('is not "not modified" since a policy change, even for a client holding only its date', async () => {
    const before = await call('/models/damagedhelmet/manifest.json');
    const since = before.headers.get('last-modified')!;
    expect((await call('/models/damagedhelmet/manifest.json', { headers: { 'if-modified-since': since } })).status).toBe(304);
    await setPolicy({ primaryCdn: 'down', viewer3d: false, updatedAt: new Date(Date.now() + 60_000).toISOString() });
    const after = await call('/models/damagedhelmet/manifest.json', { headers: { 'if-modified-since': since } });
    expect(after.status).toBe(200);
    expect(((await after.json()) as Manifest).levels).toEqual([]);
  });

  it('drops a level whose object is missing, so viewers fall back to another', async () => {
    const victim = levelFiles('wickerchair')[0]!;
    await env.ASSETS_R2.delete(victim.key);
    try {
      const uris = (await manifest('wickerchair')).levels.map((l) => l.uri);
      expect(uris).not.toContain(victim.key.split('/').pop());
      expect(uris.length).toBe(levelFiles('wickerchair').length - 1);
    } finally {
      await put(victim);
    }
  });
});

describe('integrity', () => {
  /** Puts other bytes under a published key, metadata unchanged, runs `check`, then restores it. */
  const corrupted = async (victim: PublishedFile, check: () => Promise<void>) => {
    const broken = bytesOf(victim).slice();
    broken[broken.length - 1] = (broken.at(-1) ?? 0) ^ 0xff;
    await put(victim, broken);
    try {
      await check();
    } finally {
      await put(victim);
      await clearCache();
      resetAssetWorker();
    }
  };
  const expectRefused = async (res: Response) => {
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(((await res.json()) as { error: string }).error).toMatch(/integrity/);
  };

  it('refuses a corrupted level with 502 and never sends its bytes, whole or in part', async () => {
    const victim = levelFiles('tennisracquet')[1]!;
    await corrupted(victim, async () => {
      for (const init of [{}, { headers: { range: 'bytes=0-99' } }]) await expectRefused(await call(`/${victim.key}`, init));
      const head = await call(`/${victim.key}`, { method: 'HEAD' });
      expect(head.status).toBe(502);
      expect(head.body).toBeNull();
    });
    expect(new Uint8Array(await (await call(`/${victim.key}`)).arrayBuffer())).toEqual(bytesOf(victim));
  });

  it('refuses a corrupted poster behind the stable alias too', async () => {
    const victim = file(/^models\/wickerchair\/poster-[0-9a-f]{12}\.webp$/);
    await corrupted(victim, async () => {
      await expectRefused(await call('/models/wickerchair/poster.webp'));
      await expectRefused(await call(`/${victim.key}`));
    });
  });

  it('refuses a viewer chunk whose bytes do not match its recorded SHA-256', async () => {
    const victim = file(/^viewer\/chunk-/);
    await corrupted(victim, async () => expectRefused(await call(`/${victim.key}`)));
  });

  it('keys its cache by the object alone: a copy verified under one Host answers another', async () => {
    const victim = levelFiles('wickerchair')[2]!;
    await clearCache();
    expect((await call(`/${victim.key}`)).status).toBe(200);
    await corrupted(victim, async () => {
      resetAssetWorker(); // forget the verification: only the cached copy can answer with the right bytes
      const res = await exports.default.fetch(
        new Request(`https://other-host.example/${victim.key}`, { headers: { 'x-forwarded-host': 'evil.example', cookie: 'a=b' } }),
      );
      expect(res.status).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytesOf(victim));
    });
  });
});

describe('the poster alias', () => {
  it('serves the manifest poster under a stable name with a short TTL', async () => {
    const poster = file(/^models\/wickerchair\/poster-[0-9a-f]{12}\.webp$/);
    const res = await call('/models/wickerchair/poster.webp');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=300');
    expect(res.headers.get('etag')).toBe(`"${poster.sha256}"`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytesOf(poster));
    expect((await call('/models/wickerchair/poster.webp', { headers: { 'if-none-match': `"${poster.sha256}"` } })).status).toBe(304);
    expect((await call('/models/no-such-model/poster.webp')).status).toBe(404);
  });
});

describe('unexpected failures', () => {
  it('answer 500 JSON with a generic message, never the error or its stack', async () => {
    await env.ASSETS_R2.put('models/brokenmodel/manifest.json', '{"this is": "not a manifest"');
    try {
      const res = await call('/models/brokenmodel/manifest.json');
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('x-vitrine-source')).toBe('r2');
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: expect.stringMatching(/logged/), status: 500 });
      expect(text).not.toMatch(/JSON|SyntaxError|\.ts/);
    } finally {
      await env.ASSETS_R2.delete('models/brokenmodel/manifest.json');
    }
  });
});

describe('the primary asset CDN', () => {
  const level = () => levelFiles('damagedhelmet')[0]!;

  it('answers first when healthy (same bytes, our headers), and is skipped while the policy marks it down', async () => {
    await setPolicy({ primaryCdn: 'up' });
    const res = await call(`/${level().key}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vitrine-source')).toBe('primary-cdn');
    expect(res.headers.get('content-type')).toBe('model/gltf-binary');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('etag')).toBe(`"${level().sha256}"`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytesOf(level()));
    await setPolicy({ primaryCdn: 'down' });
    expect((await call(`/${level().key}`)).headers.get('x-vitrine-source')).toBe('r2');
  });

  it('forwards conditional headers: its 304 is passed on', async () => {
    await setPolicy({ primaryCdn: 'up' });
    const res = await call(`/${level().key}`, { headers: { 'if-none-match': `"${level().sha256}"` } });
    expect(res.status).toBe(304);
    expect(res.headers.get('x-vitrine-source')).toBe('primary-cdn');
  });

  it.each([
    ['bytes=0-99', 0, 100],
    ['bytes=70000-', 70_000, undefined],
    ['bytes=-500', -500, undefined],
  ])('cuts the whole-file 200 of a CDN that ignores Range down to the 206 asked for (%s)', async (range, start, length) => {
    await setPolicy({ primaryCdn: 'up' });
    const whole = bytesOf(level());
    const expected =
      length === undefined ? whole.subarray(start < 0 ? whole.length + start : start) : whole.subarray(start, start + length);
    const res = await call(`/${level().key}`, { headers: { range } });
    expect(res.headers.get('x-vitrine-source')).toBe('primary-cdn');
    expect(res.status).toBe(206);
    const offset = start < 0 ? whole.length + start : start;
    expect(res.headers.get('content-range')).toBe(`bytes ${offset}-${offset + expected.length - 1}/${whole.length}`);
    expect(res.headers.get('content-length')).toBe(String(expected.length));
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(expected);
  });

  it('answers 416 for a range past the end of a whole-file 200, and the whole file without a Range', async () => {
    await setPolicy({ primaryCdn: 'up' });
    const whole = bytesOf(level());
    const past = await call(`/${level().key}`, { headers: { range: `bytes=${whole.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${whole.length}`);
    const full = await call(`/${level().key}`);
    expect(full.status).toBe(200);
    expect(full.headers.get('x-vitrine-source')).toBe('primary-cdn');
    expect(new Uint8Array(await full.arrayBuffer())).toEqual(whole);
  });

  it.each([['down'], ['hang'], ['error=500'], ['error=503']])('falls back to R2 when the CDN is %s', async (fault) => {
    await setPolicy({ primaryCdn: 'up' });
    await cdnFault(fault);
    const res = await call(`/${level().key}`, { headers: { range: 'bytes=0-1023' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('x-vitrine-source')).toBe('r2');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytesOf(level()).subarray(0, 1024));
  });

  it('stops asking while its breaker is open (three failures), even once the CDN has healed', async () => {
    await setPolicy({ primaryCdn: 'up' });
    await cdnFault('error=500');
    for (let i = 0; i < 3; i++) expect((await call(`/${level().key}`)).headers.get('x-vitrine-source')).toBe('r2');
    await cdnFault('ok');
    expect((await call(`/${level().key}`)).headers.get('x-vitrine-source')).toBe('r2');
    resetAssetWorker();
    expect((await call(`/${level().key}`)).headers.get('x-vitrine-source')).toBe('primary-cdn');
  });

  it('falls back to R2 for a file the CDN does not have (404), without counting it as the CDN failing', async () => {
    await setPolicy({ primaryCdn: 'up' });
    await cdnFault('error=404');
    for (let i = 0; i < 4; i++) {
      const res = await call(`/${level().key}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-vitrine-source')).toBe('r2');
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytesOf(level()));
    }
    await cdnFault('ok');
    expect((await call(`/${level().key}`)).headers.get('x-vitrine-source')).toBe('primary-cdn');
  });

  it('serves viewer files from the CDN too, with our content type and caching', async () => {
    await setPolicy({ primaryCdn: 'up' });
    const chunk = file(/^viewer\/chunk-/);
    const res = await call(`/${chunk.key}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vitrine-source')).toBe('primary-cdn');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytesOf(chunk));
  });

  it('serves manifests, tilesets and the poster alias from the R2 replica even while the CDN is healthy', async () => {
    await setPolicy({ primaryCdn: 'up' });
    for (const p of ['manifest.json', 'tileset.json', 'poster.webp']) {
      const res = await call(`/models/damagedhelmet/${p}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-vitrine-source')).toBe('r2');
    }
  });
});
