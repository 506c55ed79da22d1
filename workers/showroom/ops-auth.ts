/**
 * Bearer-token guard of the /ops endpoints: the token (the `OPS_TOKEN` secret)
 * is compared in constant time, as SHA-256 digests of equal length, so neither
 * its content nor its length leaks through timing. Without a configured token
 * the endpoints are disabled (503), never open.
 *
 * @example
 * ops.use('*', requireOpsToken());
 */
import { createMiddleware } from 'hono/factory';
import { HttpError } from '../shared/http/http-error.ts';
import type { ShowroomEnv } from './app-types.ts';

/** Shorter tokens are refused at start-up of a request: a guessable ops token is worse than none. */
export const MIN_OPS_TOKEN_CHARS = 16;

export function requireOpsToken() {
  return createMiddleware<ShowroomEnv>(async (c, next) => {
    const expected = c.env.OPS_TOKEN ?? '';
    if (expected.length < MIN_OPS_TOKEN_CHARS)
      throw new HttpError(503, `ops endpoints are disabled: set the OPS_TOKEN secret (at least ${MIN_OPS_TOKEN_CHARS} characters)`);
    const given = /^Bearer (\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    if (!(await tokensEqual(given, expected)))
      throw new HttpError(401, 'a valid ops token is required (Authorization: Bearer <OPS_TOKEN>)', {
        headers: { 'www-authenticate': 'Bearer realm="vitrine-ops"' },
      });
    await next();
  });
}

/** Constant-time equality of two strings (through their SHA-256 digests). */
export async function tokensEqual(a: string, b: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [da, db] = await Promise.all([a, b].map((s) => crypto.subtle.digest('SHA-256', encoder.encode(s))));
  return crypto.subtle.timingSafeEqual(da!, db!);
}
