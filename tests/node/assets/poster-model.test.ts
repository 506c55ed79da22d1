/**
 * The model posters are rendered from: the full-detail geometry unchanged,
 * every texture WebP at most the poster's size, and the input left as it was
 * (its textures are compressed for the shipped levels afterwards).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_DEFAULTS } from '../../../assets-pipeline/build/build-config.ts';
import { modelIO } from '../../../assets-pipeline/build/model-io.ts';
import { countTriangles } from '../../../assets-pipeline/build/model-stats.ts';
import { posterModel } from '../../../assets-pipeline/build/poster-model.ts';
import { FIXTURE_MODELS_DIR } from './bad-inputs.ts';

describe('posterModel', () => {
  it('keeps the geometry and cuts every texture to the poster size as WebP, leaving the input unchanged', async () => {
    const io = await modelIO();
    const input = await io.readBinary(new Uint8Array(await readFile(join(FIXTURE_MODELS_DIR, 'DamagedHelmet.glb'))));
    const before = input
      .getRoot()
      .listTextures()
      .map((t) => [t.getMimeType(), t.getImage()?.byteLength]);
    expect(before.length).toBeGreaterThan(0);

    const glb = await posterModel(input, { size: 512, textures: BUILD_DEFAULTS.textures });
    const poster = await io.readBinary(glb);

    expect(countTriangles(poster)).toBe(countTriangles(input));
    const textures = poster.getRoot().listTextures();
    expect(textures).toHaveLength(before.length);
    for (const texture of textures) {
      expect(texture.getMimeType()).toBe('image/webp');
      expect(Math.max(...texture.getSize()!)).toBeLessThanOrEqual(512);
    }
    expect(
      input
        .getRoot()
        .listTextures()
        .map((t) => [t.getMimeType(), t.getImage()?.byteLength]),
    ).toEqual(before);
  });
});
