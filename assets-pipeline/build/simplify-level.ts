/**
 * Geometry of one LOD level: glTF-Transform's `simplify` with meshoptimizer,
 * within an error bound, recording the largest error meshoptimizer reports
 * (relative to each mesh's extent) so the level can state its geometric error.
 */
import type { Document } from '@gltf-transform/core';
import { simplify } from '@gltf-transform/functions';
import type { SimplifierFlags } from 'meshoptimizer';

export interface SimplifyLevelOptions {
  /** Error bound, as a fraction of the mesh extent. */
  error: number;
  /** Target share of triangles to keep (0: as few as the error bound allows). */
  ratio: number;
  /** Let meshoptimizer drop small disconnected parts that fall within the error bound. */
  prune: boolean;
}

/**
 * Simplifies every mesh in place and returns the largest relative error reached (0 when nothing changed).
 *
 * @example
 * const { error } = await simplifyLevel(document, { error: 0.01, ratio: 0.25, prune: true });
 */
export async function simplifyLevel(document: Document, options: SimplifyLevelOptions): Promise<{ error: number }> {
  const { MeshoptSimplifier } = await import('meshoptimizer');
  await MeshoptSimplifier.ready;
  let maxError = 0;
  const extra: SimplifierFlags[] = options.prune ? ['Prune'] : [];
  const recording: typeof MeshoptSimplifier = {
    ...MeshoptSimplifier,
    simplify: (indices, positions, stride, target, targetError, flags = []) => {
      const result = MeshoptSimplifier.simplify(indices, positions, stride, target, targetError, [...flags, ...extra]);
      maxError = Math.max(maxError, result[1]);
      return result;
    },
  };
  await document.transform(simplify({ simplifier: recording, error: options.error, ratio: options.ratio, lockBorder: false }));
  return { error: maxError };
}
