/**
 * Textures of one LOD level: every image resized to the level's texture size
 * and encoded as WebP (EXT_texture_webp) with sharp, by role:
 * - color (base color, emissive, …): lossy; alpha kept only where a material
 *   blends or masks with it, so opaque textures do not carry a dead channel;
 * - normal maps: directions, not colors; no alpha, the embedded ICC profile
 *   ignored (no color conversion on vectors), their own quality setting;
 * - ORM (occlusion / roughness / metallic): linear data, no alpha, ICC ignored.
 */
import { createHash } from 'node:crypto';
import type { Document, Material, Texture, Transform } from '@gltf-transform/core';
import { EXTTextureWebP } from '@gltf-transform/extensions';
import { listTextureSlots } from '@gltf-transform/functions';
import type { TextureSettings } from './build-config.ts';

export interface TextureLevelOptions extends TextureSettings {
  /** Largest width/height in px; smaller images are not enlarged. */
  size: number;
  /**
   * Encoded images shared across the levels of one model: a level whose size limit does not shrink an image
   * (a 1024-px texture under limits 2048 and 1024) reuses the bytes instead of encoding them again.
   */
  cache?: Map<string, Promise<Uint8Array>>;
}

/**
 * Effort for textures whose alpha is kept: WebP's lossless alpha at effort 5–6 takes several times as long
 * (measured: 0.7 s instead of 0.3 s for a 512-px RGBA texture) for under 1% fewer bytes.
 */
export const MAX_ALPHA_EFFORT = 4;

export type TextureRole = 'color' | 'normal' | 'orm';

const NORMAL_SLOT_RE = /normalTexture$/i;
const ORM_SLOT_RE = /^(occlusionTexture|metallicRoughnessTexture)$/;
type Sharp = typeof import('sharp')['default'];
let sharpModule: Promise<Sharp> | undefined;

/** sharp, loaded on first use; fails with the fix when the native module is missing. */
export function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then(
    (m) => {
      // Every image is read once per level: libvips' cache would only hold memory. Textures are encoded
      // several at a time on libuv's pool, so one libvips thread per image is enough (and keeps memory down).
      m.default.cache(false);
      m.default.concurrency(1);
      return m.default;
    },
    (err: Error) => {
      throw new Error(`assets: cannot load sharp (${err.message}); run npm install (sharp needs its prebuilt libvips for this platform)`);
    },
  );
  return sharpModule;
}

/**
 * A glTF-Transform step: every texture of the document as WebP at most `size` px.
 *
 * @example
 * await document.transform(compressTextures({ ...BUILD_DEFAULTS.textures, size: 1024 }));
 */
export function compressTextures(options: TextureLevelOptions): Transform {
  return async (document: Document) => {
    const sharp = await loadSharp();
    const textures = document.getRoot().listTextures();
    // Concurrently: sharp encodes on libuv's thread pool, so the textures share every core.
    await Promise.all(textures.map((texture) => compressTexture(sharp, document, texture, options)));
    if (textures.length > 0) document.createExtension(EXTTextureWebP).setRequired(true);
  };
}

/** Which encoding a texture gets, from the material slots that use it. */
export function textureRole(texture: Texture): TextureRole {
  const slots = listTextureSlots(texture);
  if (slots.length > 0 && slots.every((s) => NORMAL_SLOT_RE.test(s))) return 'normal';
  if (slots.length > 0 && slots.every((s) => ORM_SLOT_RE.test(s))) return 'orm';
  return 'color';
}

async function compressTexture(sharp: Sharp, document: Document, texture: Texture, options: TextureLevelOptions): Promise<void> {
  const image = texture.getImage();
  if (!image) return;
  const role = textureRole(texture);
  const keepAlpha = role === 'color' && alphaIsUsed(document, texture);
  const quality = role === 'normal' ? options.normalQuality : role === 'orm' ? options.ormQuality : options.colorQuality;
  // Limits at or above the image's own size give the same output: one key for all of them.
  const limit = Math.min(options.size, Math.max(...(texture.getSize() ?? [options.size])));
  const key = `${createHash('sha256').update(image).digest('hex')}|${role}|${keepAlpha}|${limit}|${quality}|${options.alphaQuality}|${options.effort}`;
  let webp = options.cache?.get(key);
  if (!webp) {
    webp = encode(sharp, image, { role, keepAlpha, limit, quality, options });
    options.cache?.set(key, webp);
  }
  const bytes = await webp.catch((err: Error) => {
    throw new Error(`texture ${texture.getURI() || texture.getName() || '(embedded)'}: cannot encode as WebP: ${err.message}`);
  });
  texture.setImage(bytes).setMimeType('image/webp');
  if (texture.getURI()) texture.setURI(`${texture.getURI().replace(/\.[^./]*$/, '')}.webp`);
}

interface EncodeOptions {
  role: TextureRole;
  keepAlpha: boolean;
  limit: number;
  quality: number;
  options: TextureLevelOptions;
}

async function encode(sharp: Sharp, image: Uint8Array, { role, keepAlpha, limit, quality, options }: EncodeOptions): Promise<Uint8Array> {
  let pipeline = sharp(image, { ignoreIcc: role !== 'color' });
  const { hasAlpha } = await pipeline.metadata();
  if (!keepAlpha) pipeline = pipeline.removeAlpha();
  const effort = keepAlpha && hasAlpha ? Math.min(options.effort, MAX_ALPHA_EFFORT) : options.effort;
  const webp = await pipeline
    .resize(limit, limit, { fit: 'inside', withoutEnlargement: true, kernel: 'lanczos3' })
    .webp({ quality, alphaQuality: options.alphaQuality, effort })
    .toBuffer();
  return new Uint8Array(webp);
}

/**
 * Whether any use of the texture can show its alpha: the base color of a material that is not OPAQUE,
 * or a slot whose meaning is not known here (kept, to be safe).
 */
function alphaIsUsed(document: Document, texture: Texture): boolean {
  const slots = listTextureSlots(texture);
  if (slots.some((s) => s !== 'baseColorTexture' && s !== 'emissiveTexture')) return true;
  return document
    .getRoot()
    .listMaterials()
    .some((m: Material) => m.getBaseColorTexture() === texture && m.getAlphaMode() !== 'OPAQUE');
}
