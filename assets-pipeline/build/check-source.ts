/**
 * What the validator does not catch but the pipeline cannot build: a model
 * that draws no triangles, and textures larger than the configured limit.
 */
import type { Document } from '@gltf-transform/core';
import { listTextureSlots } from '@gltf-transform/functions';
import { countTriangles } from './model-stats.ts';

export interface CheckSourceOptions {
  /** Model name for messages, e.g. `wickerchair (WickerChair.glb)`. */
  name: string;
  /** Largest texture width or height accepted, in px. */
  maxTextureSize: number;
}

/**
 * Checks a read model and returns its triangle count.
 * @throws Error naming the model and the problem: no triangles, or each oversized texture with its size in px.
 *
 * @example
 * checkSource(document, { name: 'chair (chair.glb)', maxTextureSize: 4096 }); // 16920
 */
export function checkSource(document: Document, options: CheckSourceOptions): number {
  const triangles = countTriangles(document);
  if (triangles === 0) {
    const meshes = document.getRoot().listMeshes().length;
    throw new Error(
      `${options.name}: has no triangles to show (${meshes} mesh${meshes === 1 ? '' : 'es'}, none drawing triangles in its scene)`,
    );
  }
  const oversized: string[] = [];
  for (const [i, texture] of document.getRoot().listTextures().entries()) {
    const size = texture.getSize();
    if (!size) {
      const label = texture.getURI() || texture.getName() || `texture ${i}`;
      throw new Error(
        `${options.name}: texture ${label} (${texture.getMimeType() || 'unknown type'}) is not a readable PNG, JPEG or WebP image`,
      );
    }
    if (Math.max(size[0], size[1]) > options.maxTextureSize) {
      const label = texture.getURI() || texture.getName() || `texture ${i} (${listTextureSlots(texture).join(', ') || 'unused'})`;
      oversized.push(`${label} is ${size[0]}×${size[1]} px`);
    }
  }
  if (oversized.length > 0)
    throw new Error(`${options.name}: ${oversized.join(', ')}; textures may be at most ${options.maxTextureSize} px (maxInputTextureSize)`);
  return triangles;
}
