/**
 * The merchant's primary asset CDN (`ASSET_PRIMARY_URL`), tried first for
 * content files within `ASSET_PRIMARY_DEADLINE_MS`, behind a per-isolate
 * circuit breaker. Range and conditional headers are forwarded. 200, 206, 304
 * and 416 are answers; anything else (network error, timeout, 404, 5xx) is a
 * failure and the caller serves the R2 replica. Skipped while the monitor's
 * policy says the CDN is down.
 */
import type { AssetPolicy } from '../shared/assets/asset-policy.ts';
import { CircuitBreaker } from '../shared/resilience/circuit-breaker.ts';

export const PRIMARY_DEADLINE_DEFAULT_MS = 1_500;
const FORWARDED = ['range', 'if-none-match', 'if-modified-since', 'if-range', 'accept-encoding'];
const ANSWERS = new Set([200, 206, 304, 416]);

let breaker = new CircuitBreaker();

/** The CDN's answer for `path`, or null when R2 should answer instead. */
export async function fetchPrimary(request: Request, path: string, env: AssetsEnv, policy: AssetPolicy): Promise<Response | null> {
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
      return res;
    }
    await res.body?.cancel();
    fail(path, `status ${res.status}`);
  } catch (err) {
    fail(path, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  }
  return null;
}

function fail(path: string, error: string) {
  breaker.failure(Date.now());
  console.log(JSON.stringify({ event: 'primary-cdn-fallback', path, error }));
}

/** Test hook: a fresh breaker. */
export function resetPrimaryBreaker(): void {
  breaker = new CircuitBreaker();
}
