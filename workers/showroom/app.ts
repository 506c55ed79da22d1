/**
 * The showroom worker's Hono app. Routes:
 *
 *   GET /                       home page            (mirror | edge-render)
 *   GET /c/:category            category page        (mirror | edge-render)
 *   GET /p/:slug                product page         (mirror | edge-render)
 *   GET /api/products           product listing      (origin | snapshot)
 *   GET /api/products/:sku      one product          (origin | snapshot)
 *   POST /api/orders, /api/leads, /api/events  writes: to the origin live, else the durable outbox (receipt)
 *   GET /api/receipts/:id       a queued write's state
 *   GET /status.json            mode, origin health, snapshot, asset delivery
 *   GET /models/<id>/...        3D models, posters, manifests  (asset worker: primary CDN | R2)
 *   GET /viewer/...             the 3D viewer's code           (asset worker)
 *   GET /vitrine/events.js      the pages' analytics queue (localStorage, flushed to /api/events)
 *   GET /ops/assets             asset delivery state (bearer token)
 *   POST /ops/flags             3D on/off, LOD cap (bearer token)
 *
 * Every response carries X-Vitrine-Source, X-Vitrine-Mode and Server-Timing.
 */
import { Hono } from 'hono';
import { endTime, startTime, timing } from 'hono/timing';
import { HttpError, problemJson } from '../shared/http/http-error.ts';
import { logEvent, useMetrics } from '../shared/observability/log-event.ts';
import type { ShowroomEnv } from './app-types.ts';
import { contentSecurityPolicy } from './content-security-policy.ts';
import { modeView } from './mode-view.ts';
import { assetsProxy } from './routes/assets-proxy.ts';
import { clientScripts } from './routes/client-scripts.ts';
import { ops } from './routes/ops.ts';
import { notFound, pages } from './routes/pages.tsx';
import { productsApi } from './routes/products-api.ts';
import { status } from './routes/status.ts';
import { writes } from './routes/writes.ts';

export const app = new Hono<ShowroomEnv>();

app.use(timing({ total: true, crossOrigin: false }));
app.use(async (c, next) => {
  useMetrics(c.env);
  startTime(c, 'mode');
  c.set('mode', await modeView(c.env, c.executionCtx));
  endTime(c, 'mode');
  c.set('source', 'edge');
  await next();
  c.res.headers.set('x-vitrine-mode', c.var.mode.mode);
  c.res.headers.set('x-vitrine-source', c.var.source);
  // A shopper served by a fallback (snapshot, mirror while degraded, the outbox): one line each, for ops and counters.
  const source = c.var.source;
  if (source === 'snapshot' || source === 'outbox' || (c.var.mode.mode === 'degraded' && (source === 'mirror' || source === 'edge-render')))
    logEvent({ event: 'fallback-answer', source, mode: c.var.mode.mode, path: c.req.path, status: c.res.status });
});
// Pages set their own policy (servePage); other HTML (not-found, errors) gets one from its own bytes here.
app.use(contentSecurityPolicy());

app.route('/api/products', productsApi);
app.route('/api', writes);
app.route('/models', assetsProxy);
app.route('/viewer', assetsProxy);
app.route('/ops', ops);
app.route('/', clientScripts);
app.route('/', status);
app.route('/', pages);

app.notFound((c) =>
  c.req.path.startsWith('/api/') || c.req.path.startsWith('/ops/')
    ? problemJson(404, `No route for ${c.req.method} ${c.req.path}`)
    : notFound(c),
);

app.onError((err, c) => {
  const isApi = c.req.path.startsWith('/api/') || c.req.path.startsWith('/ops/') || c.req.path.endsWith('.json');
  if (err instanceof HttpError) {
    const res = problemJson(err.status, err.message, err.extra.field);
    for (const [k, v] of Object.entries(err.extra.headers ?? {})) res.headers.set(k, v);
    for (const [k, v] of c.res.headers) if (k.startsWith('x-vitrine-')) res.headers.set(k, v);
    return res;
  }
  logEvent({ event: 'unhandled-error', path: c.req.path, error: err instanceof Error ? err.message : String(err) });
  return isApi
    ? problemJson(500, 'Something went wrong on our side; it has been logged.')
    : c.html('<!doctype html><title>Error</title><h1>Something went wrong</h1><p><a href="/">Back to the showroom</a></p>', 500);
});
