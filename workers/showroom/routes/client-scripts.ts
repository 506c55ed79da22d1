/**
 * GET /vitrine/events.js   the pages' analytics queue (client/event-queue-client.ts), from this worker itself,
 * so it works in every mode, with or without a published mirror.
 */
import { Hono } from 'hono';
import type { ShowroomEnv } from '../app-types.ts';
import { eventQueueClient } from '../client/event-queue-client.ts';

export const EVENTS_SCRIPT = '/vitrine/events.js';
const SOURCE = `(${eventQueueClient.toString()})();\n`;
const ETAG = `"${SOURCE.length.toString(36)}-${fnv1a(SOURCE)}"`;

export const clientScripts = new Hono<ShowroomEnv>();

clientScripts.get(EVENTS_SCRIPT, (c) => {
  c.set('source', 'edge');
  if (c.req.header('if-none-match') === ETAG) return c.body(null, 304, { etag: ETAG });
  return c.body(SOURCE, 200, {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': 'public, max-age=300, stale-while-revalidate=3600',
    etag: ETAG,
  });
});

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}
