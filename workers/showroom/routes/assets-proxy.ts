/**
 * GET|HEAD|OPTIONS /models/<id>/...   3D models, manifests, posters
 * GET|HEAD|OPTIONS /viewer/...        the 3D viewer's code
 *
 * Answered by the asset worker (workers/assets/) through the ASSETS service
 * binding, so pages and their models share one host (no CORS, one CSP origin).
 * The request goes as it came (Range and conditional headers included); the
 * answer comes back as it was, its `X-Vitrine-Source` (`primary-cdn` | `r2`) kept.
 */
import { Hono } from 'hono';
import { problemJson } from '../../shared/http/http-error.ts';
import { logEvent } from '../../shared/observability/log-event.ts';
import type { ShowroomEnv } from '../app-types.ts';

export const assetsProxy = new Hono<ShowroomEnv>();

assetsProxy.all('*', async (c) => {
  let res: Response;
  try {
    res = await c.env.ASSETS.fetch(c.req.raw);
  } catch (err) {
    logEvent({ event: 'asset-worker-unreachable', path: c.req.path, error: String(err) });
    return problemJson(502, 'The asset service did not answer; the product poster and pages are unaffected.');
  }
  const source = res.headers.get('x-vitrine-source');
  c.set('source', source === 'primary-cdn' ? 'primary-cdn' : 'r2');
  // A fetched response's headers are immutable: copy it so the showroom's own headers can be added.
  return new Response(res.body, res);
});
