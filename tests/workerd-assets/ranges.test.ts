/**
 * RFC 9110 on real R2 objects of the fixture models (the primary CDN switched
 * off by policy): byte ranges, HEAD, preconditions, content types, cache
 * headers and CORS. Bodies are compared with the published bytes.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, call, clearCache, file, publishAll, resetAssetWorker, setPolicy } from './helpers.ts';

const level0 = () => file(/^models\/damagedhelmet\/0-[0-9a-f]{12}\.glb$/);
const path = (key: string) => `/${key}`;
const bytes = async (res: Response) => new Uint8Array(await res.arrayBuffer());

beforeAll(async () => {
  await publishAll();
});

beforeEach(async () => {
  await setPolicy({ primaryCdn: 'down' });
  resetAssetWorker();
});

describe('byte ranges', () => {
  it.each([
    ['bytes=0-99', 0, 100],
    ['bytes=1000-1999', 1000, 1000],
    ['bytes=-500', -500, 500],
    ['bytes=12345-', 12345, -1],
  ])('%s → 206 with the exact Content-Range and bytes', async (range, start, length) => {
    const f = level0();
    const all = bytesOf(f);
    const from = start < 0 ? all.length + start : start;
    const count = length < 0 ? all.length - from : length;
    const res = await call(path(f.key), { headers: { range } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${from}-${from + count - 1}/${all.length}`);
    expect(res.headers.get('content-length')).toBe(String(count));
    expect(await bytes(res)).toEqual(all.subarray(from, from + count));
  });

  it('clamps a last byte past the end, and a suffix longer than the file', async () => {
    const f = level0();
    const size = bytesOf(f).length;
    const past = await call(path(f.key), { headers: { range: `bytes=${size - 10}-${size + 5000}` } });
    expect(past.status).toBe(206);
    expect(past.headers.get('content-range')).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    expect((await bytes(past)).length).toBe(10);
    const suffix = await call(path(f.key), { headers: { range: `bytes=-${size * 2}` } });
    expect(suffix.status).toBe(206);
    expect(await bytes(suffix)).toEqual(bytesOf(f));
  });

  it.each([['bytes=999999999-'], ['bytes=-0']])('%s → 416 with Content-Range bytes */size', async (range) => {
    const f = level0();
    const res = await call(path(f.key), { headers: { range } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe(`bytes */${bytesOf(f).length}`);
  });

  it.each([['bytes=abc'], ['items=0-10'], ['bytes=10-5'], ['bytes=-'], ['bytes=0-10,20-30']])(
    '%s (bad syntax or several ranges) is ignored: 200 with the whole file',
    async (range) => {
      const f = level0();
      const res = await call(path(f.key), { headers: { range } });
      expect(res.status).toBe(200);
      expect(await bytes(res)).toEqual(bytesOf(f));
    },
  );

  it('serves the same bytes from R2, from the Cache API, and from R2 spans once verified', async () => {
    const f = level0();
    const want = bytesOf(f).subarray(100, 200);
    const range = { headers: { range: 'bytes=100-199' } };
    await clearCache();
    resetAssetWorker();
    expect(await bytes(await call(path(f.key), range))).toEqual(want); // R2, whole object read and verified
    resetAssetWorker();
    expect(await bytes(await call(path(f.key), range))).toEqual(want); // Cache API hit, first in this isolate
    expect(await bytes(await call(path(f.key), range))).toEqual(want); // ranged Cache API match
    await clearCache();
    expect(await bytes(await call(path(f.key), range))).toEqual(want); // ranged R2 read, no hashing
    expect(await bytes(await call(path(f.key)))).toEqual(bytesOf(f)); // whole R2 read, cached again
    expect(await bytes(await call(path(f.key), { headers: { range: 'bytes=-7' } }))).toEqual(bytesOf(f).subarray(-7));
  });

  it('answers a range of the served manifest', async () => {
    const whole = await bytes(await call('/models/damagedhelmet/manifest.json'));
    const res = await call('/models/damagedhelmet/manifest.json', { headers: { range: 'bytes=0-9' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-9/${whole.length}`);
    expect(await bytes(res)).toEqual(whole.subarray(0, 10));
  });
});

describe('HEAD and preconditions', () => {
  it('HEAD has the GET headers and no body', async () => {
    const f = level0();
    const get = await call(path(f.key));
    const head = await call(path(f.key), { method: 'HEAD' });
    expect(head.status).toBe(200);
    for (const name of ['content-length', 'content-type', 'etag', 'last-modified', 'cache-control', 'accept-ranges'])
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
    expect(head.headers.get('content-length')).toBe(String(bytesOf(f).length));
    expect(head.headers.get('etag')).toBe(`"${f.sha256}"`);
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    expect((await bytes(head)).length).toBe(0);
    const ranged = await call(path(f.key), { method: 'HEAD', headers: { range: 'bytes=0-99' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 0-99/${bytesOf(f).length}`);
    expect((await bytes(ranged)).length).toBe(0);
  });

  it('If-None-Match: match, weak match, * → 304; another tag → 200', async () => {
    const f = level0();
    for (const tag of [`"${f.sha256}"`, `W/"${f.sha256}"`, '*', `"nope", "${f.sha256}"`])
      expect((await call(path(f.key), { headers: { 'if-none-match': tag } })).status).toBe(304);
    expect((await call(path(f.key), { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });

  it('If-Modified-Since: not modified since → 304; modified since → 200; If-None-Match wins over it', async () => {
    const f = level0();
    const modified = (await call(path(f.key), { method: 'HEAD' })).headers.get('last-modified')!;
    expect((await call(path(f.key), { headers: { 'if-modified-since': modified } })).status).toBe(304);
    const before = new Date(Date.parse(modified) - 60_000).toUTCString();
    expect((await call(path(f.key), { headers: { 'if-modified-since': before } })).status).toBe(200);
    const both = await call(path(f.key), { headers: { 'if-modified-since': modified, 'if-none-match': '"other"' } });
    expect(both.status).toBe(200);
  });

  it('If-Range: the current ETag or date keeps the range; a stale one gets the whole file', async () => {
    const f = level0();
    const modified = (await call(path(f.key), { method: 'HEAD' })).headers.get('last-modified')!;
    const range = 'bytes=0-9';
    expect((await call(path(f.key), { headers: { range, 'if-range': `"${f.sha256}"` } })).status).toBe(206);
    expect((await call(path(f.key), { headers: { range, 'if-range': modified } })).status).toBe(206);
    const stale = await call(path(f.key), { headers: { range, 'if-range': '"old-version"' } });
    expect(stale.status).toBe(200);
    expect(await bytes(stale)).toEqual(bytesOf(f));
    expect((await call(path(f.key), { headers: { range, 'if-range': `W/"${f.sha256}"` } })).status).toBe(200);
    const otherDate = new Date(Date.parse(modified) - 1000).toUTCString();
    const dated = await call(path(f.key), { headers: { range, 'if-range': otherDate } });
    expect(dated.status).toBe(200);
    expect(await bytes(dated)).toEqual(bytesOf(f));
  });

  it('preconditions apply to the served manifest, with its own ETag', async () => {
    const first = await call('/models/damagedhelmet/manifest.json');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await call('/models/damagedhelmet/manifest.json', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
  });
});

describe('content types, caching and CORS', () => {
  it.each([
    [/\/0-[0-9a-f]{12}\.glb$/, 'model/gltf-binary', 'public, max-age=31536000, immutable'],
    [/\/poster-[0-9a-f]{12}\.webp$/, 'image/webp', 'public, max-age=31536000, immutable'],
    [/\/tileset\.json$/, 'application/json', 'public, max-age=60, stale-while-revalidate=300'],
    [/\/manifest\.json$/, 'application/json', 'public, max-age=60, stale-while-revalidate=300'],
    [/^viewer\/viewer\.js$/, 'text/javascript; charset=utf-8', 'public, max-age=60, stale-while-revalidate=300'],
    [/^viewer\/chunk-[A-Z0-9]+\.js$/, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
  ])('%s → %s, %s, with CORS exposing the range headers', async (pattern, type, cacheControl) => {
    const f = file(pattern);
    const res = await call(path(f.key));
    expect(res.status).toBe(200);
    if (!f.key.endsWith('/manifest.json')) expect(await bytes(res.clone())).toEqual(bytesOf(f));
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe(cacheControl);
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]+"$/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/Content-Range.*Content-Length.*ETag/);
    expect(res.headers.get('x-vitrine-source')).toBe('r2');
    expect(res.headers.get('server-timing')).toMatch(/total;dur=/);
  });

  it('answers a CORS preflight', async () => {
    const res = await call(path(level0().key), {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('Range, If-None-Match, If-Modified-Since, If-Range');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses other methods with 405 and Allow', async () => {
    const res = await call(path(level0().key), { method: 'PUT', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});
