/**
 * `npm run bench:assets-edge [-- --json]`: the asset worker on local workerd
 * (`wrangler dev`, its own config), with the fixture models published into a
 * fresh local state:
 * - 64 KiB range requests and whole GETs of a ~1 MB level GLB (autocannon,
 *   BENCH_CONNECTIONS connections for BENCH_DURATION seconds each): req/s, p50, p99;
 * - time to first byte of the first-paint level, sequential requests: median and p99;
 * - both workers' gzipped bundles (`wrangler deploy --dry-run --outdir`), against
 *   the targets: asset worker under 20 KB, showroom under 150 KB.
 * R2 answers here (no primary CDN configured): the replica path, which is what an outage leaves.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { buildAssets } from '../../assets-pipeline/build/build-assets.ts';
import { r2AssetStore } from '../../assets-pipeline/publish/asset-store.ts';
import { publishAssets } from '../../assets-pipeline/publish/publish-assets.ts';
import { readModelFiles } from '../../static-fallback/importers/models-map.ts';
import { openLocalBindings, PROJECT_ROOT } from '../../static-fallback/local-state.ts';
import { FIXTURE_MODELS } from '../support/fixtures.ts';
import { freePort, startWranglerDev } from '../support/local-stack.ts';

const run = promisify(execFile);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const TTFB_SAMPLES = 40;
const RANGE_BYTES = 64 * 1024;
const TARGET_KB = { assets: 20, showroom: 150 };
const ASSETS_DIR = join(PROJECT_ROOT, '.vitrine/test-assets-bench');

interface LoadRow {
  case: string;
  rps: number;
  p50: number;
  p99: number;
  mbPerS: number;
  non2xx: number;
}

async function load(name: string, url: string, headers: Record<string, string> = {}): Promise<LoadRow> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
  return {
    case: name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    mbPerS: Number((result.throughput.average / 1e6).toFixed(1)),
    non2xx: result.non2xx + result.errors + result.timeouts,
  };
}

async function ttfb(url: string): Promise<{ median: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < TTFB_SAMPLES; i++) {
    const started = performance.now();
    const res = await fetch(url);
    const reader = res.body!.getReader();
    await reader.read();
    samples.push(performance.now() - started);
    await reader.cancel();
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => Number(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(1));
  return { median: at(0.5), p99: at(0.99) };
}

/** Fails the run unless a range answer is a 206 with the exact Content-Range and bytes of the built file. */
async function checkRange(url: string, path: string): Promise<void> {
  const file = await readFile(path);
  const res = await fetch(url, { headers: { range: `bytes=${RANGE_BYTES}-${2 * RANGE_BYTES - 1}` } });
  const body = Buffer.from(await res.arrayBuffer());
  const expected = `bytes ${RANGE_BYTES}-${2 * RANGE_BYTES - 1}/${file.byteLength}`;
  if (res.status !== 206 || res.headers.get('content-range') !== expected || !body.equals(file.subarray(RANGE_BYTES, 2 * RANGE_BYTES)))
    throw new Error(`${url}: expected 206 "${expected}" with the file's bytes, got ${res.status} "${res.headers.get('content-range')}"`);
}

/** The gzipped size of what `wrangler deploy` would upload for a config. */
async function bundleKb(config: string): Promise<number> {
  const out = await mkdtemp(join(tmpdir(), 'vitrine-bundle-'));
  try {
    await run(join(PROJECT_ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out, '-c', config], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      maxBuffer: 16 * 1024 * 1024,
    });
    let bytes = 0;
    for (const name of await readdir(out))
      if (/\.m?js$/.test(name)) bytes += gzipSync(await readFile(join(out, name)), { level: 9 }).length;
    return Number((bytes / 1024).toFixed(1));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

async function main() {
  const json = process.argv.includes('--json');
  const log = (line: string) => json || console.error(line);
  const state = await mkdtemp(join(tmpdir(), 'vitrine-assets-edge-'));
  let stop = async () => {};
  try {
    log('building and publishing the fixture models…');
    const report = await buildAssets({ inputs: await readModelFiles(FIXTURE_MODELS), out: ASSETS_DIR });
    const failed = report.models.filter((m) => m.status === 'failed');
    if (failed.length) throw new Error(`fixture models failed to build: ${failed.map((m) => m.error).join('; ')}`);
    const bindings = await openLocalBindings(state);
    await publishAssets({ dir: ASSETS_DIR, store: r2AssetStore(bindings.r2) });
    await bindings.dispose();
    const sized = report.models.flatMap((m) =>
      m.levels.map((l, i) => ({ id: m.id, uri: l.uri, bytes: l.bytes, i, last: i === m.levels.length - 1 })),
    );
    const big = sized.filter((l) => !l.last).sort((a, b) => Math.abs(a.bytes - 1e6) - Math.abs(b.bytes - 1e6))[0]!;
    const firstPaint = sized.find((l) => l.id === big.id && l.last)!;

    log('starting the asset worker (wrangler dev)…');
    const port = await freePort();
    const worker = await startWranglerDev({
      config: 'workers/assets/wrangler.toml',
      port,
      persistTo: state,
    });
    stop = worker.stop;
    const url = (uri: string) => `${worker.url}/models/${big.id}/${uri}`;
    await checkRange(url(big.uri), join(ASSETS_DIR, big.id, big.uri)); // also warms: verified once, cached

    log(`load: ${(big.bytes / 1024).toFixed(0)} KiB level ${big.i} of ${big.id}, ${CONNECTIONS} connections × ${DURATION_S} s…`);
    const rows = [
      await load(`range ${RANGE_BYTES / 1024} KiB`, url(big.uri), { range: `bytes=${RANGE_BYTES}-${2 * RANGE_BYTES - 1}` }),
      await load('whole GET', url(big.uri)),
      await load('manifest (policy-filtered)', `${worker.url}/models/${big.id}/manifest.json`),
    ];
    const firstByte = await ttfb(url(firstPaint.uri));
    await stop();
    stop = async () => {};

    log('bundling both workers…');
    const bundles = { assets: await bundleKb('workers/assets/wrangler.toml'), showroom: await bundleKb('wrangler.toml') };
    const result = { model: big, firstPaint: { ...firstPaint, ttfbMs: firstByte }, rows, bundlesKbGzip: bundles, targetsKb: TARGET_KB };
    if (json) return void console.log(JSON.stringify(result));
    console.log(`\n${big.id} level ${big.i}: ${big.bytes} bytes (asset worker alone on wrangler dev, R2 replica)`);
    console.table(rows);
    console.log(
      `first-paint level (${firstPaint.bytes} bytes): time to first byte median ${firstByte.median} ms, p99 ${firstByte.p99} ms (${TTFB_SAMPLES} sequential)`,
    );
    for (const name of ['assets', 'showroom'] as const)
      console.log(
        `${name} worker: ${bundles[name]} KB gzipped (target < ${TARGET_KB[name]} KB) ${bundles[name] < TARGET_KB[name] ? 'pass' : 'FAIL'}`,
      );
  } finally {
    await stop();
    await rm(state, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
