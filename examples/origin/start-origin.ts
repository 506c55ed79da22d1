/**
 * Starts the example origin: the shopper-facing port (faults injected) and the control port (never faulted).
 * Used by `npm run origin`, `npm start`, the tests and the benchmarks.
 *
 * @example
 * const origin = await startOrigin({ port: 0, dbPath: ':memory:', quiet: true });
 * origin.setFault('error=503', { path: '/api/products' });
 * await origin.settled();
 * // ... drive traffic at origin.url ...
 * await origin.close();
 */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Product } from '../../workers/shared/catalog/product-schema.ts';
import { createControlApp } from './create-control-app.ts';
import { createOriginApp } from './create-origin-app.ts';
import { FaultControl, type FaultStatus } from './fault-control.ts';
import { createFaultInjector } from './fault-injector.ts';
import type { FaultScope } from './fault-rules.ts';
import { loadOriginCatalog } from './origin-catalog.ts';
import { DEFAULT_CATALOG_PATH, DEFAULT_DB_PATH, DEFAULT_MODELS_PATH, DEFAULT_ORIGIN_PORT, ORIGIN_HOST } from './origin-paths.ts';
import { RequestStats, type RequestStatsSnapshot } from './request-stats.ts';
import { ShopperListener } from './shopper-listener.ts';
import { WriteStore } from './write-store.ts';

/** How to start the origin; every field is optional. */
export interface StartOriginOptions {
  /** Shopper-facing port; 0 picks a free one. Default 8788. */
  port?: number;
  /** Control port; default `port + 1`, or a free one when `port` is 0. */
  controlPort?: number;
  /** Loopback only. */
  host?: '127.0.0.1';
  /** Catalog file for the shared importers; default `../shared/fixtures/catalog/products.json` from the project root. */
  catalogPath?: string;
  /** SKU → model map; defaults to the shared `models.json` only when `catalogPath` is the default too. */
  modelsPath?: string;
  /** Products to serve instead of a catalog file (tests, benchmarks); validated with `ProductSchema`. */
  products?: Product[];
  /** SQLite file for orders and leads (`:memory:` allowed); default `.vitrine/origin.sqlite` under the project root. */
  dbPath?: string;
  /** No log lines (start-up, fault changes). */
  quiet?: boolean;
  /** Built models served under `/cdn` (the primary asset CDN stand-in, see asset-cdn.ts). */
  assetsDir?: string;
  /** The secret the CRM stand-in (`/crm/webhooks`) verifies incident webhooks with. */
  webhookSecret?: string;
}

/** A running origin. */
export interface OriginHandle {
  /** Shopper-facing base URL, e.g. `http://127.0.0.1:8788`. */
  url: string;
  /** Control base URL, e.g. `http://127.0.0.1:8789`. */
  controlUrl: string;
  port: number;
  controlPort: number;
  /**
   * Applies a fault spec (see fault-spec.ts) to a path prefix / percentage; throws on a bad spec, path or percent.
   * Listener changes (`down`/`flap` on "/") complete asynchronously: `await settled()` before relying on them.
   */
  setFault(spec: string, opts?: FaultScope): void;
  /** Removes every fault. */
  clearFaults(): void;
  /** Resolves once the shopper listener matches the active faults. */
  settled(): Promise<void>;
  /** Active rules and whether the shopper port is listening. */
  faults(): FaultStatus;
  /** Requests that reached the shopper port, faulted or not. */
  stats(): RequestStatsSnapshot;
  /** Zeroes the request counters. */
  resetStats(): void;
  /** Stops both listeners (destroying hung sockets) and closes the database. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(address !== null && typeof address === 'object' ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      server.closeAllConnections();
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts the example origin; see {@link StartOriginOptions}. */
export async function startOrigin(options: StartOriginOptions = {}): Promise<OriginHandle> {
  const host = options.host ?? ORIGIN_HOST;
  if (host !== ORIGIN_HOST) throw new Error(`the example origin only listens on ${ORIGIN_HOST}`);
  const port = options.port ?? DEFAULT_ORIGIN_PORT;
  const controlPort = options.controlPort ?? (port === 0 ? 0 : port + 1);
  const log = options.quiet === true ? () => {} : (line: string) => console.log(`[origin] ${line}`);

  const catalogPath = options.catalogPath ?? DEFAULT_CATALOG_PATH;
  const modelsPath = options.modelsPath ?? (options.catalogPath === undefined ? DEFAULT_MODELS_PATH : undefined);
  const catalog = await loadOriginCatalog(
    options.products !== undefined ? { products: options.products } : { catalogPath, ...(modelsPath === undefined ? {} : { modelsPath }) },
  );

  const store = new WriteStore(options.dbPath ?? DEFAULT_DB_PATH);
  const stats = new RequestStats();
  const shopperServer = createServer({ requestTimeout: 0 });
  const listener = new ShopperListener(shopperServer, { host, port });
  const faults = new FaultControl(listener, { onError: (error) => console.error('[origin] listener change failed:', error) });
  const app = createOriginApp({
    catalog,
    store,
    ...(options.assetsDir ? { assetsDir: options.assetsDir } : {}),
    ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
  });
  shopperServer.on('request', createFaultInjector({ app, stats, resolveFault: (pathname) => faults.resolve(pathname) }));

  const controlApp = createControlApp({ faults, stats });
  const controlServer = createServer(getRequestListener(controlApp.fetch, { overrideGlobalObjects: false }));

  let boundPort: number;
  let boundControlPort: number;
  try {
    boundPort = await listener.listen();
    boundControlPort = await listen(controlServer, controlPort, host);
  } catch (error) {
    await listener.close();
    await closeServer(controlServer);
    store.close();
    throw error;
  }

  const url = `http://${host}:${boundPort}`;
  const controlUrl = `http://${host}:${boundControlPort}`;
  log(`${catalog.products.length} products; shopper ${url}, control ${controlUrl}`);
  faults.rules.onChange(() => {
    const rules = faults.rules.view();
    log(rules.length === 0 ? 'faults cleared' : `faults: ${rules.map((r) => `${r.fault} on ${r.path} at ${r.percent}%`).join('; ')}`);
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    controlUrl,
    port: boundPort,
    controlPort: boundControlPort,
    setFault(spec, opts) {
      faults.setFault(spec, opts);
    },
    clearFaults() {
      faults.clearFaults();
    },
    settled: () => faults.settled(),
    faults: () => faults.status(),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    close() {
      closing ??= (async () => {
        faults.dispose();
        await Promise.all([listener.close(), closeServer(controlServer)]);
        store.close();
        log('closed');
      })();
      return closing;
    },
  };
}
