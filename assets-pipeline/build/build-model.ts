/**
 * One model, from its files to verified, content-hashed level GLBs in
 * `<out>/<id>/`: read and validate the input, parse it, check what the validator does
 * not (triangles, texture sizes), build the LOD chain, validate every level
 * (shipped and decoded), check the first-paint budget, write the levels.
 * Posters, manifest and tileset are written afterwards by the orchestrator.
 */
import { basename, join } from 'node:path';
import type { Document } from '@gltf-transform/core';
import type { BuildSettings } from './build-config.ts';
import { collectingLogger } from './build-logger.ts';
import { checkSource } from './check-source.ts';
import { buildLodChain, type LodLevel } from './lod-chain.ts';
import { modelIO, readModelDocument } from './model-io.ts';
import { writeHashedFile } from './model-outputs.ts';
import { diagonal, sceneBounds } from './model-stats.ts';
import { posterModel } from './poster-model.ts';
import { prepareSource } from './prepare-source.ts';
import { readModelSource } from './read-model.ts';
import { summarizeMessages, validateGltf } from './validate-model.ts';
import { verifyLevel } from './verify-level.ts';
import type { ManifestLevel, ModelManifest } from './write-manifest.ts';

export interface BuildModelJob {
  id: string;
  /** The .glb or .gltf file. */
  path: string;
  settings: BuildSettings;
  /** The build's output folder; the model's files go to `<out>/<id>/`. */
  out: string;
}

export interface BuiltModel {
  id: string;
  levels: ManifestLevel[];
  bounds: ModelManifest['bounds'];
  source: ModelManifest['source'];
  warnings: string[];
}

export interface BuildModelHooks {
  /** After reading and validating the input, and after each level. */
  onStep?: () => void;
  /**
   * A GLB to render the poster from (see poster-model.ts), ready before the levels are compressed; only with
   * `settings.poster.enabled`.
   */
  onPosterModel?: (glb: Uint8Array) => void;
}

/** Input warnings listed one by one before the rest are counted. */
const MAX_LISTED_WARNINGS = 8;

/**
 * Builds and writes one model's levels.
 * @throws Error whose message names the model (`id (file)`) and the exact problem.
 *
 * @example
 * const built = await buildModel({ id: 'chair', path: 'models/chair.glb', settings: BUILD_DEFAULTS, out: 'dist/assets' });
 */
export async function buildModel(job: BuildModelJob, hooks: BuildModelHooks = {}): Promise<BuiltModel> {
  const onStep = hooks.onStep ?? (() => {});
  const { settings } = job;
  const source = await readModelSource(job.id, job.path);
  const name = `${source.id} (${basename(source.path)})`;
  const input = await validateGltf(source.bytes, { uri: basename(source.path), resources: source.resources });
  if (input.errors.length > 0)
    throw new Error(`${name}: the Khronos validator reports ${input.errors.length} error(s): ${summarizeMessages(input.errors)}`);
  const warnings = input.warnings.slice(0, MAX_LISTED_WARNINGS).map((w) => `input: ${w}`);
  if (input.warnings.length > MAX_LISTED_WARNINGS)
    warnings.push(`input: and ${input.warnings.length - MAX_LISTED_WARNINGS} more validator warnings`);

  const io = await modelIO();
  const logger = collectingLogger();
  io.setLogger(logger);
  const document = await readModelDocument(source).catch((err: Error) => {
    throw new Error(`${name}: cannot read: ${err.message}`);
  });
  document.setLogger(logger);
  const triangles = checkSource(document, { name, maxTextureSize: settings.maxInputTextureSize });
  const bounds = sceneBounds(document);
  onStep();

  await prepareSource(document);
  const dir = join(job.out, source.id);
  const files: string[] = [];
  const levelWarnings: string[][] = [];
  const verifyAndWrite = async (i: number, level: LodLevel) => {
    const file = await writeHashedFile(dir, String(i), 'glb', level.glb);
    files[i] = file;
    const verified = await verifyLevel(level.glb, file);
    if (verified.errors.length > 0) throw new Error(`${name}: level ${i} fails validation: ${summarizeMessages(verified.errors)}`);
    if (verified.triangles !== level.triangles)
      throw new Error(`${name}: level ${i} decodes to ${verified.triangles} triangles, ${level.triangles} were written`);
    levelWarnings[i] = verified.warnings;
    onStep();
  };
  // The poster renders meanwhile; if a level then fails, the model fails and the poster is dropped.
  let poster: Promise<void> | undefined;
  const { onPosterModel } = hooks;
  const onFullDetailGeometry =
    onPosterModel && settings.poster.enabled
      ? (geometry: Document) => {
          poster = posterModel(geometry, { size: settings.poster.size, textures: settings.textures }).then(onPosterModel, (err: Error) => {
            throw new Error(`${name}: cannot prepare the poster model: ${err.message}`);
          });
          poster.catch(() => {}); // awaited after the chain; a failure before then must not go unhandled
        }
      : undefined;
  const chain = await buildLodChain(document, {
    ...settings,
    diagonal: diagonal(bounds),
    logger,
    onLevel: verifyAndWrite,
    onFullDetailGeometry,
  });
  await poster;
  const firstPaint = chain.at(-1)!;
  if (firstPaint.glb.byteLength > settings.budgets.firstPaintBytes) {
    const message = `first-paint level is ${firstPaint.glb.byteLength} bytes, over the ${settings.budgets.firstPaintBytes}-byte budget (budgets.firstPaintBytes)`;
    if (settings.strict) throw new Error(`${name}: ${message} (--strict)`);
    warnings.push(message);
  }
  warnings.push(...groupLevelWarnings(levelWarnings));
  const levels: ManifestLevel[] = chain.map((level, i) => ({
    uri: files[i]!,
    bytes: level.glb.byteLength,
    triangles: level.triangles,
    geometricError: level.geometricError,
    textureSize: level.textureSize,
  }));
  for (const message of logger.messages) warnings.push(`gltf-transform: ${message}`);
  return { id: source.id, levels, bounds, source: { bytes: source.totalBytes, triangles }, warnings };
}

/** The same output warning on several levels is reported once, as `levels 0, 1, 2, 3: …`. */
function groupLevelWarnings(perLevel: string[][]): string[] {
  const levelsOf = new Map<string, number[]>();
  perLevel.forEach((warnings, level) => {
    for (const text of warnings) levelsOf.set(text, [...(levelsOf.get(text) ?? []), level]);
  });
  return [...levelsOf].map(([text, levels]) => `${levels.length === 1 ? 'level' : 'levels'} ${levels.join(', ')}: ${text}`);
}
