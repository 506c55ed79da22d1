/**
 * Vitrine asset worker (itty-router). Routes:
 *
 *   GET|HEAD /models/<id>/manifest.json    the published manifest, filtered by ops' policy and missing levels
 *   GET|HEAD /models/<id>/tileset.json     3D Tiles 1.1 tileset
 *   GET|HEAD /models/<id>/<n>-<hash>.glb   a level of detail       (primary CDN, else R2; verified)
 *   GET|HEAD /models/<id>/poster-<hash>.webp  the poster          (primary CDN, else R2; verified)
 *   GET|HEAD /models/<id>/poster.webp      the poster under a stable name (short TTL)
 *   GET|HEAD /viewer/<file>                the 3D viewer's code     (primary CDN, else R2)
 *   OPTIONS  any of these                  CORS preflight
 *
 * Byte ranges and conditional requests per RFC 9110 (http-conditions.ts);
 * CORS for GET/HEAD; `X-Vitrine-Source: primary-cdn | r2` and `Server-Timing`
 * on every answer; errors are JSON, never stack traces. Reached through the
 * showroom's ASSETS service binding (same host as the pages) or on its own hostname.
 */
import { Router } from 'itty-router';
import { type AssetRef, parseAssetPath } from './asset-paths.ts';
import { type AssetSource, CORS_HEADERS, jsonError, PREFLIGHT_HEADERS, respondBytes, sha256Hex } from './asset-response.ts';
import { assetPolicy } from './policy-view.ts';
import { fetchPrimary } from './primary-cdn.ts';
import { asManifest, missingLevels, servedManifest } from './served-manifest.ts';
import { CorruptObject, ObjectTooLarge, readStored } from './stored-object.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT_TTL = 'public, max-age=60, stale-while-revalidate=300';

const TYPES: Record<string, string> = {
  glb: 'model/gltf-binary',
  webp: 'image/webp',
  json: 'application/json',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  wasm: 'application/wasm',
  map: 'application/json',
};

interface Ctx {
  waitUntil(promise: Promise<unknown>): void;
}

const router = Router<Request, [AssetsEnv, Ctx]>({
  catch: (err: unknown) => {
    if (err instanceof CorruptObject || err instanceof ObjectTooLarge) {
      console.log(JSON.stringify({ event: 'asset-refused', reason: err.message }));
      return jsonError(502, 'this file failed its integrity check and is not served; viewers fall back to another level or the poster');
    }
    console.log(JSON.stringify({ event: 'asset-error', error: err instanceof Error ? err.message : String(err) }));
    return jsonError(500, 'something went wrong serving this asset; it has been logged');
  },
});

router.options('*', () => new Response(null, { status: 204, headers: PREFLIGHT_HEADERS }));
router.get('*', (request, env, ctx) => serve(request, env, ctx));
router.head('*', (request, env, ctx) => serve(request, env, ctx));
router.all('*', () => jsonError(405, 'only GET, HEAD and OPTIONS are served here', { allow: 'GET, HEAD, OPTIONS' }));

async function serve(request: Request, env: AssetsEnv, ctx: Ctx): Promise<Response> {
  const { pathname } = new URL(request.url);
  const parsed = parseAssetPath(pathname);
  if (!parsed.ok) return jsonError(parsed.status, parsed.reason);
  const { asset } = parsed;
  const policy = await assetPolicy(env);
  if (asset.kind === 'manifest') return manifest(request, asset, env, ctx);
  if (asset.kind === 'poster-alias') return posterAlias(request, asset, env, ctx);
  if (asset.kind === 'level' || asset.kind === 'poster' || asset.kind === 'viewer') {
    const primary = await fetchPrimary(request, pathname, env, policy);
    if (primary) return fromPrimary(primary, asset);
  }
  const stored = await readStored(env.ASSETS_R2, asset, ctx, defaultsFor(asset));
  if (!stored) return jsonError(404, `${asset.key} is not published`);
  return respondBytes(request, stored.bytes, { ...stored, size: stored.bytes.byteLength });
}

async function manifest(request: Request, asset: AssetRef, env: AssetsEnv, ctx: Ctx): Promise<Response> {
  const stored = await readStored(env.ASSETS_R2, asset, ctx, defaultsFor(asset));
  if (!stored) return jsonError(404, `no model "${asset.id}" is published`);
  const published = asManifest(JSON.parse(new TextDecoder().decode(stored.bytes)));
  if (!published) throw new Error(`${asset.key} is not a model manifest`);
  const missing = await missingLevels(
    env.ASSETS_R2,
    asset.id!,
    published.levels.map((l) => l.uri),
  );
  const policy = await assetPolicy(env);
  const body = JSON.stringify(servedManifest(published, policy, missing));
  const bytes = new TextEncoder().encode(body);
  // A policy change alters the body without touching the stored object: the later of the two dates it.
  const modified = new Date(Math.max(stored.modified.getTime(), Date.parse(policy.updatedAt ?? '') || 0));
  return respondBytes(request, bytes, {
    size: bytes.byteLength,
    etag: `"${(await sha256Hex(bytes)).slice(0, 32)}"`,
    modified,
    contentType: 'application/json',
    cacheControl: SHORT_TTL,
  });
}

async function posterAlias(request: Request, asset: AssetRef, env: AssetsEnv, ctx: Ctx): Promise<Response> {
  const manifestRef: AssetRef = { kind: 'manifest', key: `models/${asset.id}/manifest.json`, id: asset.id, file: 'manifest.json' };
  const stored = await readStored(env.ASSETS_R2, manifestRef, ctx, defaultsFor(manifestRef));
  const published = stored && asManifest(JSON.parse(new TextDecoder().decode(stored.bytes)));
  if (!published) return jsonError(404, `no model "${asset.id}" is published`);
  const file = published.poster.uri;
  const parsed = parseAssetPath(`/models/${asset.id}/${file}`);
  if (!parsed.ok || parsed.asset.kind !== 'poster') throw new Error(`${manifestRef.key} names an invalid poster "${file}"`);
  const poster = await readStored(env.ASSETS_R2, parsed.asset, ctx, defaultsFor(parsed.asset));
  if (!poster) return jsonError(404, `the poster of "${asset.id}" is missing`);
  return respondBytes(request, poster.bytes, { ...poster, size: poster.bytes.byteLength, cacheControl: SHORT_TTL });
}

function fromPrimary(res: Response, asset: AssetRef): Response {
  const answer = new Response(res.body, res);
  answer.headers.set('x-vitrine-source', 'primary-cdn');
  if (res.status === 200 || res.status === 206) {
    answer.headers.set('content-type', TYPES[asset.file.split('.').pop() ?? ''] ?? 'application/octet-stream');
    answer.headers.set('cache-control', defaultsFor(asset).cacheControl);
  }
  return answer;
}

function defaultsFor(asset: AssetRef): { contentType: string; cacheControl: string } {
  const contentType = TYPES[asset.file.split('.').pop() ?? ''] ?? 'application/octet-stream';
  const hashed = asset.hash !== undefined || (asset.kind === 'viewer' && /-[A-Za-z0-9_]{8,}\.[a-z]+$/.test(asset.file));
  return { contentType, cacheControl: hashed ? IMMUTABLE : SHORT_TTL };
}

export default {
  async fetch(request: Request, env: AssetsEnv, ctx: ExecutionContext): Promise<Response> {
    const started = Date.now();
    // Every answer is a Response built here (the CDN's is copied in fromPrimary), so its headers are mutable.
    const answer: Response = await router.fetch(request, env, ctx);
    for (const [k, v] of Object.entries(CORS_HEADERS)) answer.headers.set(k, v);
    if (!answer.headers.has('x-vitrine-source')) answer.headers.set('x-vitrine-source', 'r2' satisfies AssetSource);
    answer.headers.append('server-timing', `total;dur=${Date.now() - started}`);
    return answer;
  },
} satisfies ExportedHandler<AssetsEnv>;
