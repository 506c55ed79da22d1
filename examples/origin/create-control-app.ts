/**
 * The control endpoint of the example origin: its own listener (default port ORIGIN_PORT + 1),
 * never faulted, so faults can always be changed and observed.
 *
 * - `GET /faults` → {@link FaultStatus}
 * - `PUT /faults` `{ "spec": "slow=200", "path"?: "/api", "percent"?: 50 }` → {@link FaultStatus}; 400 problem+json on a bad spec
 * - `DELETE /faults` → {@link FaultStatus} with no rules
 * - `GET /stats` → `{ requests, byPath }`; `POST /stats/reset` → the zeroed stats
 */
import { Hono } from 'hono';
import type { FaultControl } from './fault-control.ts';
import { FaultScopeError } from './fault-rules.ts';
import { FaultSpecError } from './fault-spec.ts';
import { problemResponse } from './problem.ts';
import type { RequestStats } from './request-stats.ts';

/** The body of `PUT /faults`. */
export interface PutFaultBody {
  spec: string;
  path?: string;
  percent?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a `PUT /faults` body; returns the reason when it is not acceptable. */
export function parsePutFaultBody(value: unknown): PutFaultBody | string {
  if (!isRecord(value)) return 'the body must be a JSON object like {"spec":"slow=200","path":"/api","percent":50}';
  const unknownKeys = Object.keys(value).filter((key) => key !== 'spec' && key !== 'path' && key !== 'percent');
  if (unknownKeys.length > 0) return `unknown field(s): ${unknownKeys.join(', ')} (allowed: spec, path, percent)`;
  const { spec, path, percent } = value;
  if (typeof spec !== 'string') return '"spec" must be a string such as "slow=200"';
  if (path !== undefined && typeof path !== 'string') return '"path" must be a string such as "/api"';
  if (percent !== undefined && typeof percent !== 'number') return '"percent" must be a number between 0 and 100';
  return { spec, ...(path === undefined ? {} : { path }), ...(percent === undefined ? {} : { percent }) };
}

/** Builds the control Hono app. */
export function createControlApp(deps: { faults: FaultControl; stats: RequestStats }): Hono {
  const { faults, stats } = deps;
  const app = new Hono();

  app.get('/faults', async (c) => {
    await faults.settled();
    return c.json(faults.status());
  });

  app.put('/faults', async (c) => {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return problemResponse(c, 400, 'The body is not valid JSON.');
    }
    const body = parsePutFaultBody(raw);
    if (typeof body === 'string') return problemResponse(c, 400, body);
    try {
      faults.setFault(body.spec, { path: body.path, percent: body.percent });
    } catch (error) {
      if (error instanceof FaultSpecError || error instanceof FaultScopeError) return problemResponse(c, 400, error.message);
      throw error;
    }
    await faults.settled();
    return c.json(faults.status());
  });

  app.delete('/faults', async (c) => {
    faults.clearFaults();
    await faults.settled();
    return c.json(faults.status());
  });

  app.get('/stats', (c) => c.json(stats.snapshot()));

  app.post('/stats/reset', (c) => {
    stats.reset();
    return c.json(stats.snapshot());
  });

  app.notFound((c) => problemResponse(c, 404, `No control route for ${c.req.method} ${new URL(c.req.url).pathname}.`));
  app.onError((error, c) => {
    console.error('[origin control] unhandled error:', error);
    return problemResponse(c, 500, 'Unexpected error in the control endpoint.');
  });
  return app;
}
