import type { Sharp } from 'sharp';

/** WebP settings of the posters: lossy colour, alpha kept (the poster sits on any page colour). */
export const POSTER_WEBP = { quality: 82, alphaQuality: 90, effort: 4 } as const;

type SharpFactory = (input: Uint8Array) => Sharp;
let sharpFactory: Promise<SharpFactory> | undefined;

/** sharp, loaded on first use: a native module only the image steps need. */
function loadSharp(): Promise<SharpFactory> {
  sharpFactory ??= import('sharp').then(
    (module) => module.default,
    (error: Error) => {
      sharpFactory = undefined;
      throw new Error(`poster: sharp cannot be loaded (${error.message}); reinstall it for this platform: npm install sharp`);
    },
  );
  return sharpFactory;
}

/** Encodes the rendered PNG as WebP, checking it is the square of `size` px that was asked for. */
export async function encodePosterWebp(png: Uint8Array, size: number): Promise<{ webp: Uint8Array; width: number; height: number }> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(png).webp(POSTER_WEBP).toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size) {
    throw new Error(`poster: the browser rendered ${info.width}x${info.height} px instead of ${size}x${size}`);
  }
  return { webp: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}
