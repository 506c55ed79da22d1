/**
 * Building the asset worker's answers: bytes held in memory served per RFC 9110
 * (see http-conditions.ts), JSON errors, and the headers every answer carries
 * (CORS for GET/HEAD with the range headers exposed, `X-Vitrine-Source`).
 */
import { decide, type Representation } from './http-conditions.ts';

export type AssetSource = 'primary-cdn' | 'r2';

export const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'Content-Range, Content-Length, ETag, Accept-Ranges, X-Vitrine-Source',
};

export const PREFLIGHT_HEADERS: Record<string, string> = {
  ...CORS_HEADERS,
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'Range, If-None-Match, If-Modified-Since, If-Range',
  'access-control-max-age': '86400',
};

/** A JSON error; never a stack trace. */
export function jsonError(status: number, error: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error, status }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra },
  });
}

export interface BytesMeta extends Representation {
  contentType: string;
  cacheControl: string;
}

/**
 * Serves `bytes` for `request`: 200, 206 with the exact Content-Range, 304, or 416; HEAD gets the headers only.
 *
 * @example
 * respondBytes(request, glb, { size: glb.byteLength, etag: '"…"', modified, contentType: 'model/gltf-binary', cacheControl });
 */
export function respondBytes(request: Request, bytes: Uint8Array, meta: BytesMeta): Response {
  const headers = new Headers({
    'content-type': meta.contentType,
    'cache-control': meta.cacheControl,
    etag: meta.etag,
    'last-modified': meta.modified.toUTCString(),
    'accept-ranges': 'bytes',
  });
  const decision = decide(request.headers, meta);
  const body = (part: Uint8Array) => (request.method === 'HEAD' ? null : part);
  switch (decision.status) {
    case 304:
      return new Response(null, { status: 304, headers });
    case 416:
      headers.set('content-range', `bytes */${meta.size}`);
      headers.set('content-type', 'application/json; charset=utf-8');
      return new Response(request.method === 'HEAD' ? null : JSON.stringify({ error: 'range not satisfiable', status: 416 }), {
        status: 416,
        headers,
      });
    case 206: {
      const { offset, length } = decision.range;
      headers.set('content-range', `bytes ${offset}-${offset + length - 1}/${meta.size}`);
      headers.set('content-length', String(length));
      return new Response(body(bytes.subarray(offset, offset + length)), { status: 206, headers });
    }
    default:
      headers.set('content-length', String(meta.size));
      return new Response(body(bytes), { status: 200, headers });
  }
}

/** Hex SHA-256 of bytes. */
export async function sha256Hex(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
