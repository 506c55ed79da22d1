/**
 * `npm run bench:assets [-- --json]`: the fixture models through three tools,
 * each run as its own process under GNU time so wall time and peak RSS are
 * that run's own:
 * - Vitrine: `assets-cli.ts build <model> --out <fresh dir>` (full chain: LOD levels and poster);
 * - `gltf-transform optimize --compress meshopt --texture-compress webp`, at Vitrine's full-detail
 *   texture size, plus a simplify-and-downscale variant as a first-paint reference;
 * - `gltfpack -cc` (the npm build: geometry only, textures copied).
 * Then the targets, pass or fail. BENCH_ASSETS_MODELS=WickerChair.glb,... picks models.
 * Peak RSS is the largest single process of the run (GNU time reports the max over waited-for
 * descendants, not their sum): for Vitrine that may be a Chromium process rendering the poster.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../static-fallback/local-state.ts';

const run = promisify(execFile);
const FIXTURES = join(PROJECT_ROOT, '../shared/fixtures/models');
const MODELS = (process.env.BENCH_ASSETS_MODELS ?? 'WickerChair.glb,DamagedHelmet.glb,TennisRacquet/TennisRacquet.gltf').split(',');
const VITRINE_CLI = join(PROJECT_ROOT, 'assets-pipeline/assets-cli.ts');
const GNU_TIME = '/usr/bin/time';
/** gltf-transform optimize's own default `--texture-size`, used when Vitrine's is unknown. */
const OPTIMIZE_TEXTURE_SIZE = 2048;
/** The targets. */
const FIRST_PAINT_MAX_RATIO = 0.04;
const TIME_MAX_FACTOR = 3;
const WEBP = ['--compress', 'meshopt', '--texture-compress', 'webp'];
/** A simplify-and-downscale first-paint reference. */
const LOW = ['--simplify-ratio', '0.05', '--simplify-error', '0.01', '--texture-size', '256'];

interface Run {
  tool: string;
  fullBytes?: number;
  firstPaintBytes?: number;
  wallMs: number;
  peakRssMiB?: number;
  error?: string;
}

/** Runs one child under GNU time (when present); returns wall time and peak RSS, or the failure. */
async function measure(tool: string, command: string, args: string[]): Promise<Run> {
  const work = await mkdtemp(join(tmpdir(), 'vitrine-assets-bench-time-'));
  const rssFile = join(work, 'rss');
  const timed = existsSync(GNU_TIME);
  const started = performance.now();
  try {
    await run(timed ? GNU_TIME : command, timed ? ['-f', '%M', '-o', rssFile, command, ...args] : args, {
      cwd: PROJECT_ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    });
    return { tool, wallMs: performance.now() - started, peakRssMiB: await readRss(rssFile) };
  } catch (err) {
    const { stderr, message } = err as { stderr?: string; message: string };
    const reason = (stderr ?? '')
      .split('\n')
      .filter((l) => l.trim() && !/^Command (exited|terminated)/.test(l))
      .slice(-3)
      .join(' | ');
    return { tool, wallMs: performance.now() - started, error: reason || message };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function readRss(file: string): Promise<number | undefined> {
  const kb = Number((await readFile(file, 'utf8').catch(() => '')).trim().split('\n').pop());
  return Number.isFinite(kb) && kb > 0 ? Math.round(kb / 1024) : undefined;
}

/** Bytes a tool reads: the file, plus for .gltf its external buffers and images. */
async function inputBytes(path: string): Promise<number> {
  let total = (await stat(path)).size;
  if (!path.endsWith('.gltf')) return total;
  const gltf = JSON.parse(await readFile(path, 'utf8')) as { buffers?: { uri?: string }[]; images?: { uri?: string }[] };
  for (const { uri } of [...(gltf.buffers ?? []), ...(gltf.images ?? [])]) {
    if (uri && !uri.startsWith('data:')) total += (await stat(join(dirname(path), decodeURIComponent(uri)))).size;
  }
  return total;
}

interface VitrineReport {
  models: { status: string; error?: string; levels: { bytes: number; textureSize: number }[] }[];
}

/** The full chain (levels and poster) of one model into a fresh folder, so nothing is skipped as unchanged. */
async function vitrine(input: string, out: string): Promise<{ run: Run; textureSize?: number }> {
  if (!existsSync(VITRINE_CLI)) return { run: { tool: 'vitrine', wallMs: Number.NaN, error: `${VITRINE_CLI} not found` } };
  const result = await measure('vitrine', process.execPath, ['--import', 'tsx', VITRINE_CLI, 'build', input, '--out', out, '--json']);
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8').catch(() => '{"models":[]}')) as VitrineReport;
  const model = report.models[0];
  if (!model || model.status === 'failed' || !model.levels.length)
    return { run: { ...result, error: result.error ?? model?.error ?? 'no report.json' } };
  const { levels } = model;
  return {
    run: { ...result, tool: `vitrine (${levels.length} levels)`, fullBytes: levels[0]!.bytes, firstPaintBytes: levels.at(-1)!.bytes },
    textureSize: levels[0]!.textureSize,
  };
}

/** Runs gltf-transform or gltfpack (their npm builds, on this Node) and reads the size of what it wrote. */
async function tool(name: string, bin: string, args: string[], output: string): Promise<Run> {
  const result = await measure(name, process.execPath, [join(PROJECT_ROOT, 'node_modules/.bin', bin), ...args]);
  return result.error ? result : { ...result, fullBytes: (await stat(output)).size };
}

async function benchModel(model: string) {
  const input = join(FIXTURES, model);
  const work = await mkdtemp(join(tmpdir(), 'vitrine-assets-bench-'));
  const out = (name: string) => join(work, name);
  try {
    const bytes = await inputBytes(input);
    console.error(`${model}: Vitrine full chain…`);
    const { run: ours, textureSize } = await vitrine(input, out('vitrine'));
    const size = String(textureSize || OPTIMIZE_TEXTURE_SIZE);
    console.error(`${model}: gltf-transform optimize (texture size ${size})…`);
    const optimize = await tool(
      'optimize',
      'gltf-transform',
      ['optimize', input, out('o.glb'), ...WEBP, '--texture-size', size],
      out('o.glb'),
    );
    console.error(`${model}: gltf-transform optimize, simplified to 5% with 256 px textures…`);
    const low = await tool('optimize 5%/256px', 'gltf-transform', ['optimize', input, out('low.glb'), ...WEBP, ...LOW], out('low.glb'));
    console.error(`${model}: gltfpack -cc…`);
    const pack = await tool('gltfpack -cc', 'gltfpack', ['-i', input, '-o', out('p.glb'), '-cc'], out('p.glb'));
    const targets = {
      fullNotLargerThanOptimize: atMost(ours.fullBytes, optimize.fullBytes),
      firstPaintWithin4Percent: atMost(ours.firstPaintBytes, bytes * FIRST_PAINT_MAX_RATIO),
      timeWithin3xOptimize: atMost(ours.error ? undefined : ours.wallMs, optimize.error ? undefined : optimize.wallMs * TIME_MAX_FACTOR),
    };
    const runs = [ours, optimize, { ...low, firstPaintBytes: low.fullBytes, fullBytes: undefined }, pack];
    return { model, inputBytes: bytes, textureSize: Number(size), runs, targets };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * All fixture models in one Vitrine build (one browser, worker threads across models), against the sum of
 * the optimize runs: the chain's cost when a catalog is built, without one browser launch per model.
 */
async function benchBatch(results: Awaited<ReturnType<typeof benchModel>>[]) {
  const work = await mkdtemp(join(tmpdir(), 'vitrine-assets-bench-all-'));
  try {
    console.error('all models in one Vitrine build…');
    const inputs = MODELS.map((m) => join(FIXTURES, m));
    const run = await measure('vitrine (all, one build)', process.execPath, [
      '--import',
      'tsx',
      VITRINE_CLI,
      'build',
      ...inputs,
      '--out',
      work,
      '--json',
    ]);
    const optimizeMs = results.map((m) => m.runs[1]?.wallMs ?? Number.NaN).reduce((a, b) => a + b, 0);
    return {
      run,
      optimizeMs,
      target: atMost(run.error ? undefined : run.wallMs, Number.isNaN(optimizeMs) ? undefined : optimizeMs * TIME_MAX_FACTOR),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function atMost(value: number | undefined, limit: number | undefined) {
  return { pass: value === undefined || limit === undefined ? null : value <= limit, value, limit };
}

const kb = (n?: number) => (n === undefined ? '-' : (n / 1024).toFixed(0));
const pct = (n: number | undefined, of: number) => (n === undefined ? '-' : `${((100 * n) / of).toFixed(1)}%`);
const secs = (ms?: number) => (ms === undefined ? '-' : (ms / 1000).toFixed(2));
const verdict = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? 'pass' : 'FAIL');

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${line(head)}\n${rows.map(line).join('\n')}`;
}

async function main() {
  const json = process.argv.includes('--json');
  const results = [];
  for (const model of MODELS) results.push(await benchModel(model));
  const batch = await benchBatch(results);
  if (json) return void console.log(JSON.stringify({ models: results, batch }));
  const rows = results.flatMap((m) =>
    m.runs.map((r) => [
      m.model.split('/').pop()!,
      r.tool,
      kb(m.inputBytes),
      kb(r.fullBytes),
      pct(r.fullBytes, m.inputBytes),
      kb(r.firstPaintBytes),
      pct(r.firstPaintBytes, m.inputBytes),
      secs(Number.isNaN(r.wallMs) ? undefined : r.wallMs),
      r.peakRssMiB === undefined ? '-' : String(r.peakRssMiB),
      r.error ? `error: ${r.error.slice(0, 80)}` : '',
    ]),
  );
  console.log(`\n${table(['model', 'tool', 'input KB', 'full KB', 'full %', 'first KB', 'first %', 'wall s', 'RSS MiB', ''], rows)}`);
  const targets = results.map((m) => [
    m.model.split('/').pop()!,
    `${m.textureSize} px`,
    `${kb(m.targets.fullNotLargerThanOptimize.value)} ≤ ${kb(m.targets.fullNotLargerThanOptimize.limit)} KB ${verdict(m.targets.fullNotLargerThanOptimize.pass)}`,
    `${pct(m.targets.firstPaintWithin4Percent.value, m.inputBytes)} ≤ 4% ${verdict(m.targets.firstPaintWithin4Percent.pass)}`,
    `${secs(m.targets.timeWithin3xOptimize.value)} ≤ ${secs(m.targets.timeWithin3xOptimize.limit)} s ${verdict(m.targets.timeWithin3xOptimize.pass)}`,
  ]);
  console.log(
    `\ntargets\n${table(['model', 'textures', 'full ≤ optimize', 'first paint ≤ 4% of input', 'chain ≤ 3× optimize time'], targets)}`,
  );
  console.log(
    `\nall ${MODELS.length} models in one build: ${secs(batch.target.value)} s ≤ 3 × ${secs(batch.optimizeMs)} s of optimize runs = ${secs(batch.target.limit)} s ${verdict(batch.target.pass)}` +
      (batch.run.peakRssMiB === undefined ? '' : `, peak RSS ${batch.run.peakRssMiB} MiB`) +
      (batch.run.error ? ` (error: ${batch.run.error.slice(0, 80)})` : ''),
  );
  console.log('\nfull = full-detail output; first = first-paint level; RSS = peak of the largest single process (GNU time).');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
