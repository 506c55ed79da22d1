/**
 * `npm run assets -- build`: every model of the inputs → `<out>/<id>/` (LOD
 * GLBs, poster, manifest.json, tileset.json) and `<out>/report.json`, plus the
 * product viewer's bundle in `<out>/_viewer/` (see viewer/build-viewer.ts).
 * A model that fails is reported with its reason and the others still build;
 * an unchanged model (same bytes, settings, pipeline) is not rebuilt. Models
 * build in worker threads, up to the core count; posters render in one
 * shared headless chromium (opened with the pool, while the first model
 * builds), each as soon as its model's full-detail geometry is simplified
 * (see poster-model.ts), while the levels are still being compressed.
 *
 * @example
 * const report = await buildAssets({ inputs: ['../shared/fixtures/models'], out: 'dist/assets' });
 * report.models.filter((m) => m.status === 'failed'); // []
 */
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { PosterRenderer } from '../poster/poster-renderer.ts';
import { buildViewer, VIEWER_DIR } from '../viewer/build-viewer.ts';
import { cacheKey, outputsPresent, readBuildCache, writeBuildCache } from './build-cache.ts';
import { BUILD_DEFAULTS, type BuildSettings } from './build-config.ts';
import { type BuildPool, openBuildPool } from './build-pool.ts';
import { type BuildReport, failedReport, type ModelReport, modelReport, REPORT_FILE } from './build-report.ts';
import { findModelFiles, type ModelInput } from './find-models.ts';
import { finishModel, namedFiles, type RenderedPoster, readPreviousManifest, renderPoster } from './finish-model.ts';
import { removeStaleOutputs, writeJsonFile } from './model-outputs.ts';
import { readModelSource, sourceHash } from './read-model.ts';
import { loadSharp } from './texture-levels.ts';

export interface BuildAssetsOptions {
  /** Model files and folders (searched recursively for .glb / .gltf). */
  inputs: string[];
  out: string;
  settings: BuildSettings;
  /** Models built at once; default: the core count. */
  concurrency?: number;
  /** A renderer to use instead of opening (and closing) one; it stays open. */
  posters?: PosterRenderer;
  /** Progress in steps (per model: read and validate, each level, poster). */
  onProgress?: (done: number, total: number) => void;
}

/** Builds every model; never throws for a bad model (it is `failed` in the report), only for bad inputs or options. */
export async function buildAssets(
  input: Omit<BuildAssetsOptions, 'settings'> & Partial<Pick<BuildAssetsOptions, 'settings'>>,
): Promise<BuildReport> {
  const options: BuildAssetsOptions = { settings: BUILD_DEFAULTS, ...input };
  const { settings } = options;
  const out = resolve(options.out);
  const models = (await findModelFiles(options.inputs)).filter((m) => !m.path.startsWith(out + sep));
  await mkdir(out, { recursive: true });
  // The viewer first: a second or so of esbuild, and a broken bundle should stop the build before any model.
  await buildViewer(join(out, VIEWER_DIR));
  const cache = await readBuildCache(out);
  const stepsPerModel = settings.levels.length + 2;
  const total = models.length * stepsPerModel;
  let done = 0;
  const step = (n = 1) => {
    done += n;
    options.onProgress?.(done, total);
  };
  options.onProgress?.(0, total);

  const reports = new Map<ModelInput, ModelReport>();
  const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
  let pool: BuildPool | undefined;
  let posters: Promise<PosterRenderer> | undefined;

  /** One model in a worker, then its poster and indexes here. */
  /** `readMs`: time already spent reading and hashing; queueing for a worker is not counted. */
  const build = async (model: ModelInput, key: string, readMs: number) => {
    let started = performance.now() - readMs;
    const onStart = () => {
      started = performance.now() - readMs;
    };
    const name = `${model.id} (${basename(model.path)})`;
    let steps = 0;
    const onStep = () => void (++steps < stepsPerModel && step());
    let poster: Promise<RenderedPoster> | undefined;
    const startPoster = (glb: Uint8Array) => {
      poster = posters
        ?.catch((err: Error) => {
          throw new Error(`${name}: cannot start the poster renderer: ${err.message}`);
        })
        .then((renderer) => renderPoster(renderer, glb, settings.poster.size, name));
      poster?.catch(() => {}); // awaited below; a failure before then must not go unhandled
    };
    try {
      const built = await pool!.build({ id: model.id, path: model.path, settings, out }, { onStart, onStep, onPosterModel: startPoster });
      if (posters && !poster) throw new Error(`${name}: the build gave no model to render the poster from`);
      const manifest = await finishModel(built, { out, poster: await poster });
      cache[model.id] = { key, manifest, warnings: built.warnings };
      const ms = performance.now() - started;
      reports.set(model, modelReport(manifest, { input: inputLabel(model.path), status: 'built', warnings: built.warnings, ms }));
    } catch (err) {
      delete cache[model.id];
      // Keep what the previous manifest (if any) names; drop what this failed attempt wrote.
      await removeStaleOutputs(join(out, model.id), namedFiles(await readPreviousManifest(join(out, model.id))));
      reports.set(model, failedReport(model.id, inputLabel(model.path), (err as Error).message, performance.now() - started));
    }
    step(stepsPerModel - Math.min(steps, stepsPerModel - 1));
  };

  // Inputs are read and hashed one at a time, and at most 2 × concurrency builds wait: memory stays bounded.
  const inFlight = new Set<Promise<void>>();
  const seen = new Map<string, string>();
  try {
    for (const model of models) {
      const started = performance.now();
      const fail = (message: string) => {
        reports.set(model, failedReport(model.id, inputLabel(model.path), message, performance.now() - started));
        step(stepsPerModel);
      };
      const clash = seen.get(model.id);
      if (clash) {
        fail(`${model.id} (${basename(model.path)}): another input has the same model id: ${inputLabel(clash)}`);
        continue;
      }
      seen.set(model.id, model.path);
      const source = await readModelSource(model.id, model.path).catch((err: Error) => err);
      if (source instanceof Error) {
        fail(source.message);
        continue;
      }
      const key = cacheKey(sourceHash(source), settings);
      const cached = cache[model.id];
      if (cached?.key === key && (await outputsPresent(out, cached))) {
        const ms = performance.now() - started;
        reports.set(
          model,
          modelReport(cached.manifest, { input: inputLabel(model.path), status: 'unchanged', warnings: cached.warnings, ms }),
        );
        step(stepsPerModel);
        continue;
      }
      if (!pool) {
        await loadSharp(); // before any worker: native modules must be loaded by the main thread first
        pool = openBuildPool(concurrency);
        if (settings.poster.enabled) posters = options.posters ? Promise.resolve(options.posters) : openPosters();
        posters?.catch(() => {}); // a failure surfaces per model, when its poster is due
      }
      const task = build(model, key, performance.now() - started).finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= 2 * concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await Promise.allSettled(inFlight);
    await pool?.close();
    if (posters && !options.posters) await (await posters.catch(() => undefined))?.close();
  }
  if (pool) await writeBuildCache(out, cache);

  const report: BuildReport = { settings, models: models.map((m) => reports.get(m)!) };
  await writeJsonFile(join(out, REPORT_FILE), report);
  return report;
}

async function openPosters(): Promise<PosterRenderer> {
  const { openPosterRenderer } = await import('../poster/poster-renderer.ts');
  return openPosterRenderer();
}

/** A path relative to the working directory when it is below it, else absolute. */
function inputLabel(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
