/**
 * The merchant's CRM, played by the example origin under /crm: it receives
 * Vitrine's incident webhooks the way a real receiver should, so tests and the
 * drill see signatures checked and retries arrive.
 *
 *   POST /crm/webhooks   verify `X-Vitrine-Signature` (HMAC-SHA256 of "t.body" with the shared secret,
 *                        timestamp within 300 s), then record the event: 204; a bad or stale signature: 401
 *   GET  /crm/webhooks   `{ received: [event…], deliveries, rejected }` (each event once, by event_id)
 *
 * Faults apply here like anywhere on the origin (`npm run fault -- down --path /crm`).
 */
import { Hono } from 'hono';
import { verifySignature } from '../../workers/showroom/ops/webhook-signature.ts';
import { problemResponse } from './problem.ts';

export function createCrmApp(secret: string | undefined): Hono {
  const app = new Hono();
  const received = new Map<string, unknown>();
  let deliveries = 0;
  let rejected = 0;

  app.post('/webhooks', async (c) => {
    const body = await c.req.text();
    if (!secret) return problemResponse(c, 503, 'The CRM stand-in has no webhook secret (ORIGIN_WEBHOOK_SECRET).');
    if (!(await verifySignature(secret, c.req.header('x-vitrine-signature') ?? null, body))) {
      rejected++;
      return problemResponse(c, 401, 'Bad or stale X-Vitrine-Signature.');
    }
    let event: { event_id?: unknown };
    try {
      event = JSON.parse(body) as { event_id?: unknown };
    } catch {
      return problemResponse(c, 400, 'The body is not JSON.');
    }
    if (typeof event.event_id !== 'string') return problemResponse(c, 400, 'event_id is missing.');
    deliveries++;
    if (!received.has(event.event_id)) received.set(event.event_id, event);
    return c.body(null, 204);
  });

  app.get('/webhooks', (c) => c.json({ received: [...received.values()], deliveries, rejected }));
  return app;
}
