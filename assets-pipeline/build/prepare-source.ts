/**
 * The lossless clean-up every level starts from: shared data deduplicated,
 * unused data pruned, the scene flattened and meshes joined (fewer draw
 * calls), vertices welded (required before simplification).
 */
import type { Document, Transform } from '@gltf-transform/core';
import { dedup, flatten, instance, join, prune, weld } from '@gltf-transform/functions';

export interface PrepareSourceOptions {
  /** Meshes used at least this many times become EXT_mesh_gpu_instancing instances. */
  instanceMin: number;
}

export const PREPARE_SOURCE_DEFAULTS: PrepareSourceOptions = { instanceMin: 5 };

/** The steps, in order, so a caller can inspect, extend or test them alone. */
export function prepareSteps(options: PrepareSourceOptions = PREPARE_SOURCE_DEFAULTS): Transform[] {
  return [
    dedup(),
    instance({ min: options.instanceMin }),
    flatten(),
    join(),
    weld(),
    // Single-color textures become material factors: same look, one image less to send.
    prune({ keepAttributes: false, keepLeaves: false, keepSolidTextures: false }),
  ];
}

/**
 * Runs the clean-up in place.
 *
 * @example
 * await prepareSource(document);
 */
export async function prepareSource(document: Document, options: PrepareSourceOptions = PREPARE_SOURCE_DEFAULTS): Promise<void> {
  await document.transform(...prepareSteps(options));
}
