/**
 * The merchant's primary asset CDN (`ASSET_PRIMARY_URL`, serving the same
 * paths), tried first for content files (levels, posters, viewer files)
 * within `ASSET_PRIMARY_DEADLINE_MS`, behind a per-isolate circuit breaker.
 * Range and conditional headers are forwarded. 200, 206, 304 and 416 are
 * answers, passed on with their bytes and validators only (content type,
 * caching and CORS are ours). A CDN that ignores Range (a whole-file 200 of
 * known length) is cut down here: the shopper gets the 206 and only the bytes
 * asked for, and the rest of the CDN's body is not read. Anything else is a miss and R2 answers: a
 * network error, the deadline or a 5xx counts against the breaker; a 404 does
 * not (the CDN is up, it just lacks that file). Skipped while the monitor's
 * policy says the CDN is down or the breaker is open.
 *
 * @example
 * const answer = await fetchPrimary(request, '/models/chair/0-1a2b3c4d5e6f.glb', env, policy);
 * if (answer) return answer; // else serve the R2 replica
 */
import type { AssetPolicy } from '../shared/assets/asset-policy.ts';
import { logEvent } from '../shared/observability/log-event.ts';
import { CircuitBreaker } from '../shared/resilience/circuit-breaker.ts';
import type { Serving } from './asset-serving.ts';
import { type ByteSpan, contentRange, parseRange } from './http-conditions.ts';

export const PRIMARY_DEADLINE_DEFAULT_MS = 1_500;
const FORWARDED = ['range', 'if-none-match', 'if-modified-since', 'if-range'];
const PASSED_ON = ['content-length', 'content-range', 'etag', 'last-modified'];
const ANSWERS = new Set([200, 206, 304, 416]);

let breaker = new CircuitBreaker();

/** The CDN's answer for `path`, as this worker's Response, or null when R2 should answer instead. */
export async function fetchPrimary(
  request: Request,
  path: string,
  env: AssetsEnv,
  policy: AssetPolicy,
  serving: Serving,
): Promise<Response | null> {
  const base = (env.ASSET_PRIMARY_URL ?? '').replace(/\/+$/, '');
  if (!base || policy.primaryCdn === 'down' || !breaker.allow(Date.now())) return null;
  const deadline = Number.parseInt(env.ASSET_PRIMARY_DEADLINE_MS ?? '', 10);
  const headers = new Headers();
  for (const name of FORWARDED) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  try {
    const res = await fetch(`${base}${path}`, {
      method: request.method === 'HEAD' ? 'HEAD' : 'GET',
      headers,
      signal: AbortSignal.timeout(Number.isFinite(deadline) && deadline > 0 ? deadline : PRIMARY_DEADLINE_DEFAULT_MS),
    });
    if (ANSWERS.has(res.status)) {
      breaker.success(Date.now());
      return answerFrom(res, serving, request);
    }
    await res.body?.cancel();
    if (res.status === 404) breaker.success(Date.now());
    else breaker.failure(Date.now());
    logMiss(path, `status ${res.status}`);
  } catch (err) {
    breaker.failure(Date.now());
    logMiss(path, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  }
  return null;
}

/** Test hook: a fresh breaker. */
export function resetPrimaryBreaker(): void {
  breaker = new CircuitBreaker();
}

function answerFrom(res: Response, serving: Serving, request: Request): Response {
  const headers = new Headers({ 'cache-control': serving.cacheControl, 'accept-ranges': 'bytes', 'x-vitrine-source': 'primary-cdn' });
  if (res.status !== 304 && res.status !== 416) headers.set('content-type', serving.contentType);
  for (const name of PASSED_ON) {
    const value = res.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  // fetch() decodes a compressed body: its length is no longer the one sent.
  if (res.headers.has('content-encoding')) headers.delete('content-length');
  const range = request.headers.get('range');
  const size = Number(headers.get('content-length') ?? Number.NaN);
  if (res.status === 200 && range !== null && request.headers.get('if-range') === null && res.body && Number.isSafeInteger(size)) {
    const span = parseRange(range, size);
    if (span === 'unsatisfiable') {
      void res.body.cancel();
      headers.delete('content-length');
      headers.delete('content-type');
      headers.set('content-range', `bytes */${size}`);
      return new Response(null, { status: 416, headers });
    }
    if (span !== 'ignore') {
      headers.set('content-length', String(span.length));
      headers.set('content-range', contentRange(span, size));
      return new Response(sliceBody(res.body, span), { status: 206, headers });
    }
  }
  return new Response(res.body, { status: res.status, headers });
}

/** The bytes of `span` from a whole-file stream; stops reading (and cancels the source) once they are through. */
function sliceBody(body: ReadableStream<Uint8Array>, span: ByteSpan): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const end = span.offset + span.length;
  let position = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        const from = Math.max(0, span.offset - position);
        const to = Math.min(value.byteLength, end - position);
        position += value.byteLength;
        if (to > from) controller.enqueue(value.subarray(from, to));
        if (position >= end) {
          controller.close();
          await reader.cancel();
          return;
        }
        if (to > from) return;
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function logMiss(path: string, error: string): void {
  logEvent({ event: 'primary-cdn-fallback', path, error });
}
