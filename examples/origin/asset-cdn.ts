/**
 * The merchant's primary asset CDN, stood in by the example origin under `/cdn`:
 *
 *   GET /cdn/healthz                    what the HealthMonitor probes
 *   GET /cdn/models/<id>/<file>         a built model's file, from the assets folder
 *   GET /cdn/viewer/<file>              the product viewer's bundle (`<assets folder>/_viewer/`)
 *
 * Set the showroom's and asset worker's `ASSET_PRIMARY_URL` to `<origin>/cdn`;
 * faults on the path prefix `/cdn` (`npm run fault -- down --path /cdn`) break
 * the CDN alone. Files are served whole (a CDN may ignore Range; the asset worker
 * accepts that), with an ETag, and only under strict names.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Context, Hono } from 'hono';
import type { OriginEnv } from './create-origin-app.ts';

const ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const FILE_RE = /^(?:\d{1,2}-[0-9a-f]{12}\.glb|poster-[0-9a-f]{12}\.webp|manifest\.json|tileset\.json)$/;
const VIEWER_FILE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.js$/;
const TYPES: Record<string, string> = {
  glb: 'model/gltf-binary',
  webp: 'image/webp',
  json: 'application/json',
  js: 'text/javascript; charset=utf-8',
};

/** The `/cdn` routes; without an assets folder every file is 404 (the CDN still answers its health check). */
export function createAssetCdnApp(assetsDir: string | undefined): Hono<OriginEnv> {
  const cdn = new Hono<OriginEnv>();
  cdn.get('/healthz', (c) => c.json({ ok: true, assets: assetsDir !== undefined }));
  const serveFile = async (c: Context<OriginEnv>, folder: string, file: string): Promise<Response> => {
    if (!assetsDir) return c.json({ error: 'not found' }, 404);
    const bytes = await readFile(join(assetsDir, folder, file)).catch(() => null);
    if (!bytes) return c.json({ error: 'not found' }, 404);
    const etag = `"${createHash('sha256').update(bytes).digest('hex')}"`;
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, { etag });
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': TYPES[file.split('.').pop()!]!,
      'content-length': String(bytes.byteLength),
      etag,
      'cache-control': /-[0-9a-f]{12}\.|^chunk-/.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=60',
    });
  };
  cdn.get('/models/:id/:file', async (c) => {
    const { id, file } = c.req.param();
    return ID_RE.test(id) && FILE_RE.test(file) ? serveFile(c, id, file) : c.json({ error: 'not found' }, 404);
  });
  cdn.get('/viewer/:file', async (c) => {
    const file = c.req.param('file');
    return VIEWER_FILE_RE.test(file) ? serveFile(c, '_viewer', file) : c.json({ error: 'not found' }, 404);
  });
  return cdn;
}
