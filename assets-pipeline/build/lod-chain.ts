/**
 * The LOD chain of one model: from full detail down to a first-paint level.
 * Geometry first: every planned level is simplified from the prepared source
 * (not from the previous level, so errors do not pile up) and kept only when
 * it has clearly fewer triangles than the last level kept; a model that stops
 * simplifying gets a shorter chain. Then each kept level gets its textures and
 * compression; the last one always gets the first-paint texture size.
 */
import type { Document, ILogger } from '@gltf-transform/core';
import { cloneDocument } from '@gltf-transform/functions';
import type { LevelSettings, TextureSettings } from './build-config.ts';
import { countTriangles } from './model-stats.ts';
import { optimizeLevel } from './optimize-level.ts';
import { simplifyLevel } from './simplify-level.ts';

export interface LodChainOptions {
  /** Planned levels, full detail first. */
  levels: LevelSettings[];
  /** Keep a level only with at most (1 − this) × the previous level's triangles. */
  minTriangleReduction: number;
  textures: TextureSettings;
  /** Diagonal of the model's bounds: turns relative simplification error into world units. */
  diagonal: number;
  logger?: ILogger;
  /**
   * Called as each level's GLB is ready (full detail first, then the others as they finish); awaited, so a caller
   * can verify and write the level while the next ones are still being compressed.
   */
  onLevel?: (index: number, level: LodLevel) => Promise<void> | void;
  /**
   * Called with the full-detail geometry (original textures) as soon as it is simplified, before any level is
   * compressed; the document is changed afterwards, so a caller that keeps it must copy it at once.
   */
  onFullDetailGeometry?: (document: Document) => void;
}

export interface LodLevel {
  glb: Uint8Array;
  triangles: number;
  /** World-space error estimate: meshoptimizer's relative error × the bounds' diagonal; never below a finer level's. */
  geometricError: number;
  textureSize: number;
}

/** A planned level that survived the geometry pass. */
interface KeptGeometry {
  document: Document;
  triangles: number;
  error: number;
  plan: number;
}

/**
 * Builds the chain from a prepared source document (left unchanged).
 *
 * @example
 * const levels = await buildLodChain(source, { ...BUILD_DEFAULTS, diagonal: 2.1 });
 * levels.map((l) => l.triangles); // [16904, 8452, 3380, 1014]
 */
export async function buildLodChain(source: Document, options: LodChainOptions): Promise<LodLevel[]> {
  const kept: KeptGeometry[] = [];
  for (const [plan, level] of options.levels.entries()) {
    const document = cloneDocument(source);
    if (options.logger) document.setLogger(options.logger);
    const { error } = await simplifyLevel(document, { error: level.error, ratio: level.ratio, prune: plan > 0 });
    const triangles = countTriangles(document);
    const previous = kept.at(-1);
    if (previous && triangles > previous.triangles * (1 - options.minTriangleReduction)) continue;
    if (triangles === 0) break;
    kept.push({ document, triangles, error, plan });
    if (kept.length === 1) options.onFullDetailGeometry?.(document);
  }
  const firstPaintSize = options.levels.at(-1)!.textureSize;
  const textureCache = new Map<string, Promise<Uint8Array>>();
  const optimize = async (geometry: KeptGeometry, i: number): Promise<LodLevel> => {
    const last = i === kept.length - 1 && i > 0;
    const textureSize = last ? firstPaintSize : options.levels[geometry.plan]!.textureSize;
    const glb = await optimizeLevel(geometry.document, { textureSize, textures: options.textures, textureCache });
    const level = { glb, triangles: geometry.triangles, geometricError: round(geometry.error * options.diagonal), textureSize };
    await options.onLevel?.(i, level);
    return level;
  };
  // Full detail first, with every core (the poster is rendered from it meanwhile); then the coarser levels at
  // once: their texture encodes overlap on sharp's threads while this thread compresses geometry.
  const full = await optimize(kept[0]!, 0);
  const built = [full, ...(await Promise.all(kept.slice(1).map((geometry, i) => optimize(geometry, i + 1))))];
  // A coarser level never claims a smaller error than a finer one.
  for (const [i, level] of built.entries()) if (i > 0) level.geometricError = Math.max(level.geometricError, built[i - 1]!.geometricError);
  return built;
}

/** Six significant digits: stable JSON, no false precision. */
function round(x: number): number {
  return Number(x.toPrecision(6));
}
