/**
 * `npm run origin`: the example origin (a stand-in for a merchant's commerce platform + PIM) on 127.0.0.1.
 *
 * Environment: ORIGIN_PORT (default 8788), ORIGIN_CONTROL_PORT (default ORIGIN_PORT + 1),
 * ORIGIN_CATALOG (catalog file), ORIGIN_MODELS (SKU → model map), ORIGIN_DB (SQLite file or `:memory:`),
 * ORIGIN_ASSETS_DIR (built models served under /cdn as the primary asset CDN),
 * ORIGIN_WEBHOOK_SECRET (the CRM stand-in under /crm checks incident webhooks with it).
 */
import { resolve } from 'node:path';
import { type StartOriginOptions, startOrigin } from './start-origin.ts';

/** Reads the origin's options from environment variables. */
function originOptionsFromEnv(env: Record<string, string | undefined>): StartOriginOptions {
  const options: StartOriginOptions = {};
  const port = env.ORIGIN_PORT;
  const controlPort = env.ORIGIN_CONTROL_PORT;
  if (port !== undefined && port !== '') options.port = portNumber(port, 'ORIGIN_PORT');
  if (controlPort !== undefined && controlPort !== '') options.controlPort = portNumber(controlPort, 'ORIGIN_CONTROL_PORT');
  if (env.ORIGIN_CATALOG) options.catalogPath = resolve(env.ORIGIN_CATALOG);
  if (env.ORIGIN_MODELS) options.modelsPath = resolve(env.ORIGIN_MODELS);
  if (env.ORIGIN_ASSETS_DIR) options.assetsDir = resolve(env.ORIGIN_ASSETS_DIR);
  if (env.ORIGIN_WEBHOOK_SECRET) options.webhookSecret = env.ORIGIN_WEBHOOK_SECRET;
  if (env.ORIGIN_DB) options.dbPath = env.ORIGIN_DB === ':memory:' ? ':memory:' : resolve(env.ORIGIN_DB);
  return options;
}

function portNumber(value: string, name: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new Error(`${name} must be a port number (0..65535), got ${JSON.stringify(value)}`);
  return Number(value);
}

let origin: Awaited<ReturnType<typeof startOrigin>>;
try {
  origin = await startOrigin({ ...originOptionsFromEnv(process.env), quiet: false });
} catch (error) {
  console.error(`origin: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

console.log(`Example origin ready.
  Shopper:  ${origin.url}  (/healthz, /api/products, /api/products/:sku, /pim/export, /api/orders, /api/leads, /cdn)
  Control:  ${origin.controlUrl}  (GET/PUT/DELETE /faults, GET /stats, POST /stats/reset)
  Faults:   npm run fault -- --help   (ORIGIN_CONTROL_PORT=${origin.controlPort})
Ctrl+C to stop.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\n${signal}: closing the origin...`);
    origin.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('origin: close failed:', error);
        process.exit(1);
      },
    );
  });
}
