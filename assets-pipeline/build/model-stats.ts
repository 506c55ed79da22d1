/** What the manifest and report say about a model: triangles drawn and world-space bounds. */
import { type Document, getBounds, type vec3 } from '@gltf-transform/core';
import { getGLPrimitiveCount } from '@gltf-transform/functions';

/** glTF primitive modes TRIANGLES (4), TRIANGLE_STRIP (5), TRIANGLE_FAN (6). */
const TRIANGLE_MODES = new Set([4, 5, 6]);

/**
 * Triangles drawn for the default scene (or the first): every mesh counted once per node that uses it.
 *
 * @example
 * countTriangles(await io.read('WickerChair.glb')); // 18320
 */
export function countTriangles(document: Document): number {
  const root = document.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  let triangles = 0;
  scene?.traverse((node) => {
    for (const prim of node.getMesh()?.listPrimitives() ?? []) {
      if (TRIANGLE_MODES.has(prim.getMode())) triangles += getGLPrimitiveCount(prim);
    }
  });
  return triangles;
}

/** World-space bounds of the default scene (or the first); zeros for an empty scene. */
export function sceneBounds(document: Document): { min: vec3; max: vec3 } {
  const root = document.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  if (!scene) return { min: [0, 0, 0], max: [0, 0, 0] };
  const { min, max } = getBounds(scene);
  if (!min.every(Number.isFinite) || !max.every(Number.isFinite)) return { min: [0, 0, 0], max: [0, 0, 0] };
  return { min: round(min), max: round(max) };
}

/** Length of the bounds' diagonal. */
export function diagonal(bounds: { min: vec3; max: vec3 }): number {
  return Math.hypot(bounds.max[0] - bounds.min[0], bounds.max[1] - bounds.min[1], bounds.max[2] - bounds.min[2]);
}

/** Six decimals: the manifest stays readable and identical across runs. */
function round(v: vec3): vec3 {
  return v.map((x) => Math.round(x * 1e6) / 1e6) as vec3;
}
