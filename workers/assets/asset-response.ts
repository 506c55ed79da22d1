/**
 * The asset worker's answers: a stored object served per RFC 9110 (200, 206
 * with its exact Content-Range, 304, 416; HEAD with the GET headers and no
 * body; see http-conditions.ts), JSON errors, and the CORS headers every
 * answer carries (range headers exposed to scripts).
 */
import { contentRange, decide } from './http-conditions.ts';
import type { StoredObject } from './stored-object.ts';

export type AssetSource = 'primary-cdn' | 'r2';

export const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';

export const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'Content-Range, Content-Length, ETag, Accept-Ranges, X-Vitrine-Source',
};

export const PREFLIGHT_HEADERS: Record<string, string> = {
  ...CORS_HEADERS,
  'access-control-allow-methods': ALLOWED_METHODS,
  'access-control-allow-headers': 'Range, If-None-Match, If-Modified-Since, If-Range',
  'access-control-max-age': '86400',
};

/**
 * A JSON error (`{"error": reason, "status": n}`), never cached, never a stack trace.
 *
 * @example
 * jsonError(404, 'no model "chair" is published');
 */
export function jsonError(status: number, error: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error, status }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra },
  });
}

/**
 * Answers `request` from `object`, reading only the bytes the answer carries.
 *
 * @example
 * const object = await openStored(env.ASSETS_R2, asset, ctx);
 * return object ? respondStored(request, object, IMMUTABLE_CACHE_CONTROL) : jsonError(404, 'not published');
 */
export async function respondStored(request: Request, object: StoredObject, cacheControl: string): Promise<Response> {
  const headers = new Headers({
    'content-type': object.contentType,
    'cache-control': cacheControl,
    etag: object.etag,
    'last-modified': object.modified.toUTCString(),
    'accept-ranges': 'bytes',
  });
  const decision = decide(request.headers, object);
  if (decision.status === 304) return new Response(null, { status: 304, headers });
  if (decision.status === 416) {
    headers.set('content-range', `bytes */${object.size}`);
    headers.set('content-type', 'application/json; charset=utf-8');
    const body = request.method === 'HEAD' ? null : JSON.stringify({ error: 'range not satisfiable', status: 416, size: object.size });
    return new Response(body, { status: 416, headers });
  }
  const span = decision.status === 206 ? decision.range : undefined;
  if (span) headers.set('content-range', contentRange(span, object.size));
  headers.set('content-length', String(span ? span.length : object.size));
  if (request.method === 'HEAD') return new Response(null, { status: decision.status, headers });
  const body = await object.read(span);
  if (body === null) return jsonError(404, 'this file is no longer published');
  return new Response(body, { status: decision.status, headers });
}
