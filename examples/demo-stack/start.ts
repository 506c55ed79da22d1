/**
 * `npm start`: the demo stack on local workerd, from a fresh clone.
 *
 *  1. the example origin (commerce platform + PIM stand-in) on ORIGIN_PORT (8788),
 *     its fault control on ORIGIN_PORT + 1, and under /cdn the merchant's primary
 *     asset CDN stand-in (serving the models built in step 4);
 *  2. the fixture catalog imported and published as a snapshot into the local
 *     KV/R2 state (.vitrine/state) that wrangler dev uses;
 *  3. the static mirror built from the same catalog (.vitrine/mirror, with
 *     spec sheets, CSVs, search, quote page) and published into that state;
 *  4. the fixture 3D models (mapped to products by models.json) built into LOD
 *     GLBs, posters and manifests (.vitrine/assets, incremental) and published
 *     into that state's R2;
 *  5. the showroom worker on EDGE_PORT (8787) and the asset worker behind it
 *     (one `wrangler dev`, the service binding wired). ADMIN_TOKEN,
 *     WEBHOOK_SECRET and WEBHOOK_URLS come from the environment, else from
 *     `.dev.vars`, else are generated into `.dev.vars` (see local-secrets.ts);
 *     by default incident webhooks go to the example origin's CRM stand-in.
 *
 * Ctrl-C stops every child.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { buildAssets } from '../../assets-pipeline/build/build-assets.ts';
import { r2AssetStore } from '../../assets-pipeline/publish/asset-store.ts';
import { publishAssets } from '../../assets-pipeline/publish/publish-assets.ts';
import { writeAssetsWorkerConfig } from '../../static-fallback/cli/assets-worker-config.ts';
import { progressReporter } from '../../static-fallback/cli/progress.ts';
import { catalogTimestamp } from '../../static-fallback/importers/catalog-timestamp.ts';
import { buildSnapshot, loadCatalogFile } from '../../static-fallback/importers/load-catalog.ts';
import { readModelFiles } from '../../static-fallback/importers/models-map.ts';
import { LOCAL_STATE_DIR, openLocalBindings, PROJECT_ROOT } from '../../static-fallback/local-state.ts';
import { buildMirror } from '../../static-fallback/mirror/build-mirror.ts';
import { publishMirror } from '../../static-fallback/mirror/publish-mirror.ts';
import { publishSnapshot } from '../../workers/shared/snapshot/publish-snapshot.ts';
import { startOrigin } from '../origin/start-origin.ts';
import { resolveLocalSecrets } from './local-secrets.ts';

const ORIGIN_PORT = Number(process.env.ORIGIN_PORT ?? 8788);
const EDGE_PORT = Number(process.env.EDGE_PORT ?? 8787);
const CATALOG = process.env.ORIGIN_CATALOG ?? `${PROJECT_ROOT}../shared/fixtures/catalog/products.json`;
const MODELS = process.env.ORIGIN_MODELS ?? `${PROJECT_ROOT}../shared/fixtures/catalog/models.json`;
const MIRROR_DIR = `${PROJECT_ROOT}.vitrine/mirror`;
const ASSETS_DIR = `${PROJECT_ROOT}.vitrine/assets`;
const READY_TIMEOUT_MS = 120_000;

const step = (n: number, text: string) => console.log(`\n[${n}/5] ${text}`);

async function main() {
  const secrets = await resolveLocalSecrets(PROJECT_ROOT, process.env, `http://127.0.0.1:${ORIGIN_PORT}/crm/webhooks`);
  step(1, `example origin on http://127.0.0.1:${ORIGIN_PORT}`);
  const origin = await startOrigin({
    port: ORIGIN_PORT,
    catalogPath: CATALOG,
    modelsPath: MODELS,
    assetsDir: ASSETS_DIR,
    webhookSecret: secrets.values.WEBHOOK_SECRET,
    quiet: true,
  });
  console.log(
    `      origin ${origin.url}, fault control ${origin.controlUrl}, primary asset CDN ${origin.url}/cdn, CRM stand-in ${origin.url}/crm/webhooks`,
  );

  step(2, 'catalog snapshot into local KV/R2');
  const { products } = await loadCatalogFile(CATALOG, { modelsPath: MODELS });
  const snapshot = buildSnapshot(products, { source: 'demo-seed', generatedAt: catalogTimestamp(products) });
  const bindings = await openLocalBindings();
  const bar = progressReporter('publishing snapshot');
  const result = await publishSnapshot(bindings, snapshot, {
    onProgress: bar.onProgress,
  });
  bar.stop();
  console.log(`      ${products.length} products, version ${result.version}${result.published ? '' : ' (unchanged, nothing written)'}`);

  step(3, 'static mirror: build and publish');
  const edgeUrl = `http://127.0.0.1:${EDGE_PORT}`;
  const buildBar = progressReporter('building mirror');
  const built = await buildMirror({
    catalog: CATALOG,
    models: MODELS,
    out: MIRROR_DIR,
    baseUrl: edgeUrl,
    quoteEndpoint: `${edgeUrl}/api/leads`,
    onProgress: buildBar.onProgress,
  });
  buildBar.stop();
  const publishBar = progressReporter('publishing mirror');
  const mirror = await publishMirror(bindings, MIRROR_DIR, {
    onProgress: publishBar.onProgress,
  });
  publishBar.stop();
  console.log(
    `      ${built.pages} pages, ${built.files} files in ${MIRROR_DIR}; ${mirror.published ? `published as ${mirror.version}` : 'unchanged, nothing written'}`,
  );

  step(4, '3D models: LOD chain, posters, manifests; publish to local R2');
  const modelsBar = progressReporter('building models');
  const report = await buildAssets({ inputs: await readModelFiles(MODELS), out: ASSETS_DIR, onProgress: modelsBar.onProgress });
  modelsBar.stop();
  for (const m of report.models) {
    const levels = m.levels.map((l) => `${Math.round(l.bytes / 1024)} KiB`).join(' → ');
    console.log(`      ${m.id}: ${m.status}${m.status === 'failed' ? ` (${m.error})` : `, ${levels}`}`);
  }
  const assets = await publishAssets({ dir: ASSETS_DIR, store: r2AssetStore(bindings.r2) });
  await bindings.dispose();
  console.log(`      ${assets.models} models published: ${assets.uploaded} objects uploaded, ${assets.skipped} unchanged`);

  step(5, `showroom and asset workers on local workerd (wrangler dev) at http://127.0.0.1:${EDGE_PORT}`);
  const cdnUrl = `${origin.url}/cdn`;
  const adminToken = secrets.values.ADMIN_TOKEN;
  const assetsConfig = await writeAssetsWorkerConfig(`${PROJECT_ROOT}.vitrine`, { ASSET_PRIMARY_URL: cdnUrl });
  const wrangler = spawn(
    'wrangler',
    [
      'dev',
      '--config',
      'wrangler.toml',
      '--config',
      assetsConfig,
      '--ip',
      '127.0.0.1',
      '--port',
      String(EDGE_PORT),
      '--persist-to',
      LOCAL_STATE_DIR,
      '--show-interactive-dev-session=false',
      '--var',
      `ORIGIN_URL:http://127.0.0.1:${ORIGIN_PORT}`,
      '--var',
      `CANONICAL_ORIGIN:http://127.0.0.1:${EDGE_PORT}`,
      '--var',
      `ASSET_PRIMARY_URL:${cdnUrl}`,
      '--var',
      `ADMIN_TOKEN:${adminToken}`,
      '--var',
      `WEBHOOK_SECRET:${secrets.values.WEBHOOK_SECRET}`,
      '--var',
      `WEBHOOK_URLS:${secrets.values.WEBHOOK_URLS}`,
    ],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, detached: true },
  );
  const stop = onExit(wrangler, () => origin.close());
  await waitForEdge(`http://127.0.0.1:${EDGE_PORT}/status.json`, wrangler);
  console.log(`
  Shopper URL   http://127.0.0.1:${EDGE_PORT}/
  Status        http://127.0.0.1:${EDGE_PORT}/status  (JSON: /status.json)
  Product API   http://127.0.0.1:${EDGE_PORT}/api/products/FUR-KNO-KNO-014
  3D product    http://127.0.0.1:${EDGE_PORT}/p/${products.find((p) => p.modelId)?.slug ?? ''}
  Ops           npm run ops -- state   (token: ADMIN_TOKEN from ${secrets.sources.ADMIN_TOKEN === 'environment' ? 'the environment' : secrets.file}${secrets.sources.ADMIN_TOKEN === 'generated' ? ', just generated' : ''})
                npm run ops -- mode degraded --reason "drill" --expires 10m
  Webhooks      ${secrets.values.WEBHOOK_URLS}  (WEBHOOK_URLS from ${secrets.sources.WEBHOOK_URLS === 'default' ? 'the default: the CRM stand-in' : secrets.sources.WEBHOOK_URLS}; signed with WEBHOOK_SECRET from ${secrets.sources.WEBHOOK_SECRET === 'environment' ? 'the environment' : secrets.file})
                received events: curl http://127.0.0.1:${ORIGIN_PORT}/crm/webhooks
  Mirror folder ${MIRROR_DIR}/index.html (open it from disk, or serve it from any static host)
  3D models     ${ASSETS_DIR}/<id>/manifest.json, posters and LOD GLBs (report.json beside them)

  Break the origin and watch the showroom stay open:
    npm run fault -- down        (then: hang, slow=2000, error=503, garbage, flap=5 ...)
    npm run fault -- down --path /cdn   (the primary asset CDN only: models come from R2)
    npm run fault -- ok
    npm run fault -- --help

  Ctrl-C stops everything.`);
  await new Promise<void>((resolve) => wrangler.once('exit', () => resolve()));
  await stop();
}

function onExit(child: ChildProcess, closeOrigin: () => Promise<void>): () => Promise<void> {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
    }
    await closeOrigin();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.log('\nstopping the demo stack…');
      void stop().then(() => process.exit(0));
    });
  }
  return stop;
}

async function waitForEdge(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode} before the showroom answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the showroom did not answer at ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

main().catch((err) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
