/**
 * Everything after simplification that makes a level small on the wire:
 * pruning, WebP textures at the level's size, sparse accessors, then
 * quantization and meshopt geometry compression (KHR_mesh_quantization +
 * EXT_meshopt_compression), written as one standalone GLB.
 */
import type { Document } from '@gltf-transform/core';
import { meshopt, prune, sparse } from '@gltf-transform/functions';
import type { TextureSettings } from './build-config.ts';
import { modelIO } from './model-io.ts';
import { compressTextures } from './texture-levels.ts';

export interface OptimizeLevelOptions {
  /** Largest texture edge of this level, px. */
  textureSize: number;
  textures: TextureSettings;
  /** Encoded textures shared with the other levels of the same model (see TextureLevelOptions.cache). */
  textureCache?: Map<string, Promise<Uint8Array>>;
}

/**
 * Compresses a (simplified) level document in place and returns its GLB bytes.
 *
 * @example
 * const glb = await optimizeLevel(levelDocument, { textureSize: 1024, textures: BUILD_DEFAULTS.textures });
 */
export async function optimizeLevel(document: Document, options: OptimizeLevelOptions): Promise<Uint8Array> {
  const { MeshoptEncoder } = await import('meshoptimizer');
  await MeshoptEncoder.ready;
  await document.transform(
    prune({ keepAttributes: false, keepLeaves: false, keepSolidTextures: false }),
    compressTextures({ ...options.textures, size: options.textureSize, cache: options.textureCache }),
    sparse(),
    meshopt({ encoder: MeshoptEncoder, level: 'high' }),
  );
  const io = await modelIO();
  return io.writeBinary(document);
}
