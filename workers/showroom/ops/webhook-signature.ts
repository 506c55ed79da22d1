/**
 * Webhook signatures: `X-Vitrine-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * with the WEBHOOK_SECRET, the scheme Stripe made familiar. Signed at every
 * delivery attempt, so a retry carries a fresh timestamp; receivers reject
 * timestamps more than SIGNATURE_TOLERANCE_S away from their clock.
 *
 * @example
 * headers['x-vitrine-signature'] = await signatureHeader(secret, body);
 * await verifySignature(secret, request.headers.get('x-vitrine-signature'), await request.text()); // true / false
 */
export const SIGNATURE_HEADER = 'x-vitrine-signature';
export const SIGNATURE_TOLERANCE_S = 300;

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function signatureHeader(secret: string, body: string, unixSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  return `t=${unixSeconds},v1=${await hmacHex(secret, `${unixSeconds}.${body}`)}`;
}

/** Whether `header` signs `body` with `secret` within the tolerance; compares in constant time. */
export async function verifySignature(
  secret: string,
  header: string | null,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceS = SIGNATURE_TOLERANCE_S,
): Promise<boolean> {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const t = Number(match[1]);
  if (Math.abs(nowSeconds - t) > toleranceS) return false;
  const expected = new TextEncoder().encode(await hmacHex(secret, `${t}.${body}`));
  const given = new TextEncoder().encode(match[2]!);
  return expected.byteLength === given.byteLength && constantTimeEqual(expected, given);
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
