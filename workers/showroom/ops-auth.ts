/**
 * Bearer-token guard of the /ops endpoints: the token (the `ADMIN_TOKEN` secret)
 * is compared in constant time, as SHA-256 digests of equal length, so neither
 * its content nor its length leaks through timing. Without a configured token
 * the endpoints are disabled (503), never open. Wrong tokens count against the
 * client (CF-Connecting-IP, the OPS_AUTH_LIMITER binding): past its budget a
 * wrong token gets 429 with Retry-After instead of 401, so guessing is slow.
 *
 * @example
 * ops.use('*', requireAdminToken());
 */
import { createMiddleware } from 'hono/factory';
import { HttpError } from '../shared/http/http-error.ts';
import { logEvent } from '../shared/observability/log-event.ts';
import type { ShowroomEnv } from './app-types.ts';

/** Shorter tokens are refused at start-up of a request: a guessable admin token is worse than none. */
export const MIN_ADMIN_TOKEN_CHARS = 16;

export function requireAdminToken() {
  return createMiddleware<ShowroomEnv>(async (c, next) => {
    const expected = c.env.ADMIN_TOKEN ?? '';
    if (expected.length < MIN_ADMIN_TOKEN_CHARS)
      throw new HttpError(503, `ops endpoints are disabled: set the ADMIN_TOKEN secret (at least ${MIN_ADMIN_TOKEN_CHARS} characters)`);
    const given = /^Bearer (\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    if (!(await tokensEqual(given, expected))) {
      const client = c.req.header('cf-connecting-ip') ?? 'unknown';
      if (!(await c.env.OPS_AUTH_LIMITER.limit({ key: client })).success) {
        const retryAfter = Math.max(1, Math.ceil(60 - ((Date.now() / 1000) % 60)));
        logEvent({ event: 'ops-auth-throttled', client });
        throw new HttpError(429, `too many wrong tokens from this client; retry in ${retryAfter} s`, {
          headers: { 'retry-after': String(retryAfter) },
        });
      }
      logEvent({ event: 'ops-auth-refused', client, path: c.req.path });
      throw new HttpError(401, 'a valid admin token is required (Authorization: Bearer <ADMIN_TOKEN>)', {
        headers: { 'www-authenticate': 'Bearer realm="vitrine-ops"' },
      });
    }
    await next();
  });
}

/** Constant-time equality of two strings (through their SHA-256 digests). */
export async function tokensEqual(a: string, b: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [da, db] = await Promise.all([a, b].map((s) => crypto.subtle.digest('SHA-256', encoder.encode(s))));
  return crypto.subtle.timingSafeEqual(da!, db!);
}
