/**
 * What the poster is rendered from: the model's full-detail geometry with its
 * textures cut to the poster's size and encoded for speed (WebP effort 0,
 * high quality), no geometry compression. A 1024-px poster cannot show more
 * than 1024-px textures, and SwiftShader spends most of a render decoding and
 * mip-mapping textures: so the poster starts as soon as the geometry pass has
 * the full-detail level, while the shipped levels' slower encodes still run,
 * and looks the same as one rendered from the shipped level 0.
 */
import type { Document } from '@gltf-transform/core';
import { cloneDocument } from '@gltf-transform/functions';
import type { TextureSettings } from './build-config.ts';
import { modelIO } from './model-io.ts';
import { compressTextures } from './texture-levels.ts';

/** Poster textures: near-lossless, encoded at WebP's fastest effort (they are rendered once, never shipped). */
const POSTER_TEXTURES = { colorQuality: 90, normalQuality: 95, ormQuality: 90, alphaQuality: 100, effort: 0 } as const;

/**
 * A standalone GLB of `document` (left unchanged) for the poster renderer.
 *
 * @example
 * const glb = await posterModel(fullDetail, { size: 1024, textures: BUILD_DEFAULTS.textures });
 */
export async function posterModel(document: Document, options: { size: number; textures: TextureSettings }): Promise<Uint8Array> {
  const copy = cloneDocument(document);
  await copy.transform(compressTextures({ ...options.textures, ...POSTER_TEXTURES, size: options.size }));
  return (await modelIO()).writeBinary(copy);
}
