/**
 * The real stack on loopback, for system tests and benchmarks: the example
 * origin as its own Node process and the showroom worker under `wrangler dev`
 * (workerd), with a fresh persisted state seeded with the fixture snapshot.
 * With `models`, the fixture models are built (incrementally, posters and the
 * viewer included) and published too, and the asset worker runs beside the
 * showroom in the same `wrangler dev` (one process, the service binding wired).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAssets } from '../../assets-pipeline/build/build-assets.ts';
import { r2AssetStore } from '../../assets-pipeline/publish/asset-store.ts';
import { publishAssets } from '../../assets-pipeline/publish/publish-assets.ts';
import { writeAssetsWorkerConfig } from '../../static-fallback/cli/assets-worker-config.ts';
import { writeShowroomConfig } from '../../static-fallback/cli/showroom-worker-config.ts';
import { buildSnapshot, loadCatalogFile } from '../../static-fallback/importers/load-catalog.ts';
import { readModelFiles } from '../../static-fallback/importers/models-map.ts';
import { openLocalBindings, PROJECT_ROOT } from '../../static-fallback/local-state.ts';
import { buildMirror } from '../../static-fallback/mirror/build-mirror.ts';
import { publishMirror } from '../../static-fallback/mirror/publish-mirror.ts';
import { publishSnapshot } from '../../workers/shared/snapshot/publish-snapshot.ts';
import { FIXTURE_CATALOG, FIXTURE_MODELS } from './fixtures.ts';

export interface LocalStack {
  edgeUrl: string;
  originUrl: string;
  controlUrl: string;
  /** The built static mirror (with `mirror`): the folder a static host would serve. */
  mirrorDir?: string;
  setFault(spec: string, options?: { path?: string; percent?: number }): Promise<void>;
  status(): Promise<{ mode: string; [k: string]: unknown }>;
  /** Sets ops' asset flags through `POST /ops/flags` (the stack's own admin token). */
  setAssetPolicy(flags: { maxLod?: number | null; viewer3d?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** Where system tests build the fixture models (incremental across runs; apart from other suites' builds). */
export const SYSTEM_ASSETS_DIR = join(PROJECT_ROOT, '.vitrine/test-assets-system');

export interface LocalStackOptions {
  vars?: Record<string, string>;
  /** Worker config (default: the showroom's wrangler.toml). */
  config?: string;
  /** Also build the static mirror of the fixture catalog and publish it into the stack's state. */
  mirror?: boolean;
  /** Also build and publish the fixture models, and run the asset worker (see the file's comment). */
  models?: boolean;
  /**
   * Per-client write limits (requests a minute, by rate-limit binding name) for stacks that play many shoppers:
   * under `wrangler dev` every request comes from 127.0.0.1, one client.
   */
  rateLimits?: Record<string, number>;
  /** Vars of the asset worker (with `models`), over the stack's defaults. */
  assetVars?: Record<string, string>;
  log?: (line: string) => void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const [originPort, controlPort, edgePort, inspectorPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const stateDir = await mkdtemp(join(tmpdir(), 'vitrine-stack-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(killTree));
    await rm(stateDir, { recursive: true, force: true });
  };
  try {
    const origin = spawn(process.execPath, ['--import', 'tsx', 'examples/origin/main.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        ORIGIN_PORT: String(originPort),
        ORIGIN_CONTROL_PORT: String(controlPort),
        ORIGIN_DB: ':memory:',
        ORIGIN_ASSETS_DIR: SYSTEM_ASSETS_DIR,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.push(origin);
    pipeLog(origin, 'origin', log);
    await waitFor(`http://127.0.0.1:${originPort}/healthz`, origin, 30_000);

    const { products } = await loadCatalogFile(FIXTURE_CATALOG, { modelsPath: FIXTURE_MODELS });
    const bindings = await openLocalBindings(stateDir);
    await publishSnapshot(bindings, buildSnapshot(products, { source: 'system-test' }));
    if (options.mirror) {
      const dir = join(stateDir, 'mirror');
      await buildMirror({ catalog: FIXTURE_CATALOG, models: FIXTURE_MODELS, out: dir, baseUrl: `http://127.0.0.1:${edgePort}`, pdf: true });
      await publishMirror(bindings, dir);
    }
    if (options.models) {
      const report = await buildAssets({ inputs: await readModelFiles(FIXTURE_MODELS), out: SYSTEM_ASSETS_DIR });
      const failed = report.models.filter((m) => m.status === 'failed');
      if (failed.length) throw new Error(`fixture models failed to build: ${failed.map((m) => m.error).join('; ')}`);
      await publishAssets({ dir: SYSTEM_ASSETS_DIR, store: r2AssetStore(bindings.r2) });
    }
    await bindings.dispose();

    const adminToken = `system-${randomBytes(12).toString('hex')}`;
    // The origin's /cdn stand-in is the primary asset CDN (serving the same built models).
    const assetVars = { ASSET_PRIMARY_URL: `http://127.0.0.1:${originPort}/cdn`, ASSET_POLICY_TTL_MS: '500' };
    const vars = {
      ORIGIN_URL: `http://127.0.0.1:${originPort}`,
      CANONICAL_ORIGIN: `http://127.0.0.1:${edgePort}`,
      ASSET_PRIMARY_URL: assetVars.ASSET_PRIMARY_URL,
      ADMIN_TOKEN: adminToken,
      WEBHOOK_SECRET: `system-${randomBytes(12).toString('hex')}`,
      ...options.vars,
    };
    const edge = await startWranglerDev({
      config: options.rateLimits ? await writeShowroomConfig(stateDir, options.rateLimits) : options.config,
      extraConfigs: options.models ? [await writeAssetsWorkerConfig(stateDir, { ...assetVars, ...options.assetVars })] : [],
      port: edgePort,
      inspectorPort,
      persistTo: stateDir,
      vars,
      log,
      readyPath: '/status.json',
    });
    children.push(edge.child);
    const edgeUrl = edge.url;
    const controlUrl = `http://127.0.0.1:${controlPort}`;
    return {
      edgeUrl,
      ...(options.mirror ? { mirrorDir: join(stateDir, 'mirror') } : {}),
      originUrl: `http://127.0.0.1:${originPort}`,
      controlUrl,
      async setFault(spec, opts = {}) {
        const res = await fetch(`${controlUrl}/faults`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ spec, ...opts }),
        });
        if (!res.ok) throw new Error(`fault ${spec}: ${res.status} ${await res.text()}`);
      },
      async setAssetPolicy(flags) {
        const res = await fetch(`${edgeUrl}/ops/flags`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(flags),
        });
        if (!res.ok) throw new Error(`asset flags ${JSON.stringify(flags)}: ${res.status} ${await res.text()}`);
      },
      async status() {
        return (await (await fetch(`${edgeUrl}/status.json`, { signal: AbortSignal.timeout(5_000) })).json()) as { mode: string };
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * `wrangler dev` on loopback as its own process group, resolved once
 * `readyPath` answers. Callers stop it with the process group (see killTree).
 */
export async function startWranglerDev(options: {
  config?: string;
  /** More worker configs served by the same `wrangler dev` (service bindings between them resolve in-process). */
  extraConfigs?: string[];
  port: number;
  inspectorPort?: number;
  persistTo?: string;
  vars?: Record<string, string>;
  log?: (line: string) => void;
  readyPath?: string;
}): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(
    join(PROJECT_ROOT, 'node_modules/.bin/wrangler'),
    [
      'dev',
      '--config',
      options.config ?? 'wrangler.toml',
      ...(options.extraConfigs ?? []).flatMap((config) => ['--config', config]),
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--inspector-port',
      String(options.inspectorPort ?? (await freePort())),
      ...(options.persistTo ? ['--persist-to', options.persistTo] : []),
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
      ...Object.entries(options.vars ?? {}).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
    ],
    { cwd: PROJECT_ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  pipeLog(child, 'edge', options.log ?? (() => {}));
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitFor(`${url}${options.readyPath ?? '/'}`, child, 120_000, options.readyPath === undefined);
  } catch (err) {
    await killTree(child);
    throw err;
  }
  return { url, child, stop: () => killTree(child) };
}

function pipeLog(child: ChildProcess, name: string, log: (line: string) => void) {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) log(`[${name}] ${line}`);
    });
  }
}

/** Polls `url` until it answers (2xx, or any status when `anyStatus`), the child exits, or time runs out. */
async function waitFor(url: string, child: ChildProcess, timeoutMs: number, anyStatus = false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (res.ok || anyStatus) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

async function killTree(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {}
  }, 5_000);
  await exited;
  clearTimeout(timer);
}
