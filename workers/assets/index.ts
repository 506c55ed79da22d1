/**
 * Vitrine asset worker (itty-router). Routes:
 *
 *   GET|HEAD /models/<id>/manifest.json        the manifest, filtered by ops' policy and missing levels (R2)
 *   GET|HEAD /models/<id>/tileset.json         3D Tiles 1.1 tileset (R2)
 *   GET|HEAD /models/<id>/<n>-<hash>.glb       a level of detail  (primary CDN, else R2, verified)
 *   GET|HEAD /models/<id>/poster-<hash>.webp   the poster         (primary CDN, else R2, verified)
 *   GET|HEAD /models/<id>/poster.webp          the poster under a stable name, short TTL (R2)
 *   GET|HEAD /viewer/<file>                    the 3D viewer's code (primary CDN, else R2)
 *   OPTIONS  any path                          CORS preflight (204)
 *   anything else                              405 with Allow
 *
 * Byte ranges and conditional requests per RFC 9110 (http-conditions.ts); CORS
 * for GET/HEAD; `X-Vitrine-Source: primary-cdn | r2` and `Server-Timing` on
 * every answer; errors are JSON, never stack traces. Degraded states: the
 * primary CDN failing, slow or marked down → the R2 replica answers; a level
 * missing from R2 → dropped from the manifest; a corrupt level or poster →
 * 502, never its bytes. Reached through the showroom's ASSETS service binding
 * (same host as the pages) or on its own hostname.
 */

import { Router } from 'itty-router';
import type { AssetPolicy } from '../shared/assets/asset-policy.ts';
import { logEvent, useMetrics } from '../shared/observability/log-event.ts';
import { type AssetRef, parseAssetPath } from './asset-paths.ts';
import { ALLOWED_METHODS, type AssetSource, CORS_HEADERS, jsonError, PREFLIGHT_HEADERS, respondStored } from './asset-response.ts';
import { SHORT_CACHE_CONTROL, servingOf } from './asset-serving.ts';
import { assetPolicy } from './policy-view.ts';
import { fetchPrimary } from './primary-cdn.ts';
import { readServedManifest } from './read-served-manifest.ts';
import { CorruptObject, openStored } from './stored-object.ts';

const router = Router<Request, [AssetsEnv, ExecutionContext]>({ catch: onError });

router.options('*', () => new Response(null, { status: 204, headers: PREFLIGHT_HEADERS }));
router.get('*', serve);
router.head('*', serve);
router.all('*', () => jsonError(405, `only ${ALLOWED_METHODS} are answered here`, { allow: ALLOWED_METHODS }));

async function serve(request: Request, env: AssetsEnv, ctx: ExecutionContext): Promise<Response> {
  const { pathname } = new URL(request.url);
  const parsed = parseAssetPath(pathname);
  if (!parsed.ok) return jsonError(parsed.status, parsed.reason);
  const { asset } = parsed;
  switch (asset.kind) {
    case 'manifest':
      return serveManifest(request, asset.id, await assetPolicy(env), env, ctx);
    case 'poster-alias':
      return servePosterAlias(request, asset.id, await assetPolicy(env), env, ctx);
    case 'tileset':
      return serveStored(request, asset, env, ctx);
    default:
      return (
        (await fetchPrimary(request, pathname, env, await assetPolicy(env), servingOf(asset))) ?? serveStored(request, asset, env, ctx)
      );
  }
}

async function serveStored(
  request: Request,
  asset: AssetRef,
  env: AssetsEnv,
  ctx: ExecutionContext,
  cacheControl = servingOf(asset).cacheControl,
): Promise<Response> {
  const object = await openStored(env.ASSETS_R2, asset, ctx);
  if (!object) return jsonError(404, `${asset.key} is not published`);
  return respondStored(request, object, cacheControl);
}

async function serveManifest(request: Request, id: string, policy: AssetPolicy, env: AssetsEnv, ctx: ExecutionContext) {
  const served = await readServedManifest(env.ASSETS_R2, id, policy, ctx);
  if (!served) return jsonError(404, `no model "${id}" is published`);
  return respondStored(request, served.object, SHORT_CACHE_CONTROL);
}

async function servePosterAlias(request: Request, id: string, policy: AssetPolicy, env: AssetsEnv, ctx: ExecutionContext) {
  const served = await readServedManifest(env.ASSETS_R2, id, policy, ctx);
  if (!served) return jsonError(404, `no model "${id}" is published`);
  const poster = parseAssetPath(`/models/${id}/${served.manifest.poster.uri}`);
  if (!poster.ok || poster.asset.kind !== 'poster')
    throw new Error(`models/${id}/manifest.json names an invalid poster "${served.manifest.poster.uri}"`);
  return serveStored(request, poster.asset, env, ctx, SHORT_CACHE_CONTROL);
}

function onError(err: unknown): Response {
  if (err instanceof CorruptObject) {
    logEvent({ event: 'asset-corrupt', reason: err.message });
    return jsonError(502, 'this file failed its integrity check and is not served; viewers fall back to another level or the poster');
  }
  const error = err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : { message: String(err) };
  logEvent({ event: 'asset-error', ...error });
  return jsonError(500, 'something went wrong serving this asset; it has been logged');
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    useMetrics(env);
    const started = Date.now();
    // Every answer is a Response built by this worker (the CDN's is copied), so its headers can be set.
    let answer: Response = await router.fetch(request, env, ctx);
    // HEAD: the GET headers, never a body (errors included).
    if (request.method === 'HEAD' && answer.body) {
      await answer.body.cancel();
      answer = new Response(null, answer);
    }
    for (const [name, value] of Object.entries(CORS_HEADERS)) answer.headers.set(name, value);
    if (!answer.headers.has('x-vitrine-source')) answer.headers.set('x-vitrine-source', 'r2' satisfies AssetSource);
    answer.headers.append('server-timing', `total;dur=${Date.now() - started}`);
    return answer;
  },
} satisfies ExportedHandler<AssetsEnv>;
