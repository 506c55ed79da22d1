import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '../../../workers/showroom/ops/webhook-signature.ts';

const SECRET = 'whsec-test-1234567890';
const BODY = '{"event_id":"inc-1.1","outage_status":"active"}';

describe('webhook signatures', () => {
  it('are t=<unix>,v1=<hex HMAC-SHA256 of "t.body">, as a receiver computes them with node:crypto', async () => {
    const header = await signatureHeader(SECRET, BODY, 1_700_000_000);
    const expected = createHmac('sha256', SECRET).update(`1700000000.${BODY}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
  });

  it.each([
    ['the right secret, now', SECRET, BODY, 0, true],
    ['299 s old', SECRET, BODY, -299, true],
    ['301 s old (replayed)', SECRET, BODY, -301, false],
    ['301 s in the future', SECRET, BODY, 301, false],
    ['another secret', 'other-secret', BODY, 0, false],
    ['a changed body', SECRET, `${BODY} `, 0, false],
  ])('verify: %s → %s', async (_label, secret, body, skew, ok) => {
    const now = 1_800_000_000;
    const header = await signatureHeader(secret, BODY, now + skew);
    expect(await verifySignature(SECRET, header, body, now)).toBe(ok);
  });

  it('rejects malformed headers', async () => {
    for (const header of [null, '', 't=1,v1=zz', 'v1=abc,t=1', `t=1,v1=${'a'.repeat(63)}`])
      expect(await verifySignature(SECRET, header, BODY)).toBe(false);
  });
});
