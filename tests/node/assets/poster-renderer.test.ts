import { readFile } from 'node:fs/promises';
import { Document, Logger, NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { meshopt, textureCompress } from '@gltf-transform/functions';
import { MeshoptEncoder } from 'meshoptimizer';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPosterRenderer, POSTER_DEFAULTS, type PosterRenderer } from '../../../assets-pipeline/poster/poster-renderer.ts';
import { FIXTURES_DIR } from '../../support/fixtures.ts';

const MODELS = `${FIXTURES_DIR}models/`;
const SLOW = { timeout: 120_000 };

/** What a poster looks like: its WebP header, and where and how varied its opaque pixels are. */
async function inspect(webp: Uint8Array) {
  const meta = await sharp(webp).metadata();
  const { data, info } = await sharp(webp).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  let opaque = 0;
  let [minX, minY, maxX, maxY] = [width, height, -1, -1];
  let sum = 0;
  let sumSq = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (data[i + 3]! < 128) continue;
      opaque++;
      [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
      const luma = 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
      sum += luma;
      sumSq += luma * luma;
    }
  }
  const mean = sum / opaque;
  return {
    format: meta.format,
    width: meta.width,
    height: meta.height,
    hasAlpha: meta.hasAlpha,
    cornerAlpha: data[3],
    opaqueShare: opaque / (width * height),
    boxCentre: [(minX + maxX) / 2 / width, (minY + maxY) / 2 / height],
    boxExtent: Math.max(maxX - minX + 1, maxY - minY + 1) / width,
    meanLuma: mean,
    lumaStdDev: Math.sqrt(sumSq / opaque - mean * mean),
  };
}

/** A real poster: the requested WebP square, transparent around a centred, well-framed, textured model. */
async function expectPoster(result: { webp: Uint8Array; width: number; height: number }, size: number) {
  expect([result.width, result.height]).toEqual([size, size]);
  const p = await inspect(result.webp);
  expect(p).toMatchObject({ format: 'webp', width: size, height: size, hasAlpha: true, cornerAlpha: 0 });
  expect(p.opaqueShare).toBeGreaterThan(0.03);
  expect(p.opaqueShare).toBeLessThan(0.9);
  expect(p.boxExtent).toBeGreaterThan(0.6);
  expect(p.boxExtent).toBeLessThanOrEqual(0.95);
  for (const c of p.boxCentre) expect(Math.abs(c - 0.5)).toBeLessThan(0.08);
  expect(p.lumaStdDev).toBeGreaterThan(15);
  return p;
}

/** TennisRacquet (.gltf + .bin + PNGs) as one GLB with EXT_meshopt_compression, quantization and WebP textures. */
async function compressedRacquet(): Promise<Uint8Array> {
  await MeshoptEncoder.ready;
  const io = new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({ 'meshopt.encoder': MeshoptEncoder });
  const document = await io.read(`${MODELS}TennisRacquet/TennisRacquet.gltf`);
  document.setLogger(new Logger(Logger.Verbosity.WARN));
  await document.transform(
    textureCompress({ encoder: sharp, targetFormat: 'webp', resize: [512, 512] }),
    meshopt({ encoder: MeshoptEncoder, level: 'medium' }),
  );
  return io.writeBinary(document);
}

describe('poster renderer (headless chromium, WebGL2 on SwiftShader)', () => {
  let posters: PosterRenderer;
  beforeAll(async () => {
    posters = await openPosterRenderer();
  }, 120_000);
  afterAll(async () => {
    await posters?.close();
  });

  it('renders WickerChair.glb: a centred, transparent-backed 512 px WebP', SLOW, async () => {
    const glb = await readFile(`${MODELS}WickerChair.glb`);
    await expectPoster(await posters.render(glb, { size: 512 }), 512);
  });

  it('renders DamagedHelmet.glb at the default size, its metal lit by the environment (not black)', SLOW, async () => {
    const glb = await readFile(`${MODELS}DamagedHelmet.glb`);
    const p = await expectPoster(await posters.render(glb), POSTER_DEFAULTS.size);
    expect(p.meanLuma).toBeGreaterThan(60);
  });

  it('decodes EXT_meshopt_compression, quantized geometry and EXT_texture_webp', SLOW, async () => {
    const glb = await compressedRacquet();
    const json = await new NodeIO().registerExtensions(ALL_EXTENSIONS).binaryToJSON(glb);
    expect(json.json.extensionsUsed).toEqual(
      expect.arrayContaining(['EXT_meshopt_compression', 'KHR_mesh_quantization', 'EXT_texture_webp']),
    );
    await expectPoster(await posters.render(glb, { size: 384 }), 384);
  });

  it('gives the same bytes for the same GLB: twice, queued side by side, and in a second browser', SLOW, async () => {
    const glb = await readFile(`${MODELS}WickerChair.glb`);
    const [a, b] = await Promise.all([posters.render(glb, { size: 256 }), posters.render(glb, { size: 256 })]);
    expect(Buffer.from(b.webp).equals(Buffer.from(a.webp))).toBe(true);
    const other = await openPosterRenderer();
    try {
      const c = await other.render(glb, { size: 256 });
      expect(Buffer.from(c.webp).equals(Buffer.from(a.webp))).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('rejects unreadable input with the exact problem, and keeps rendering afterwards', SLOW, async () => {
    const chair = await readFile(`${MODELS}WickerChair.glb`);
    await expect(posters.render(new TextEncoder().encode('{"asset": "not a binary glTF at all"}'))).rejects.toThrow(
      'poster: the input is not a GLB (expected magic "glTF", found "{\\"as")',
    );
    await expect(posters.render(chair.subarray(0, 100_000))).rejects.toThrow(
      `poster: the GLB is truncated: its header says ${chair.byteLength} bytes, got 100000`,
    );
    const corrupt = Buffer.from(chair);
    corrupt.write('!!', 20, 'latin1'); // inside the JSON chunk
    await expect(posters.render(corrupt)).rejects.toThrow(/^poster: three\.js could not read the model: .*JSON/);
    const empty = new Document();
    empty.createScene().addChild(empty.createNode('nothing'));
    await expect(posters.render(await new NodeIO().writeBinary(empty))).rejects.toThrow(
      'poster: the model has no visible geometry (empty bounding box)',
    );
    await expect(posters.render(chair, { size: 5000 })).rejects.toThrow('poster: size must be an integer from 16 to 4096 px, got 5000');
    await expectPoster(await posters.render(chair, { size: 128 }), 128);
  });

  it('abandons a render that exceeds timeoutMs, then renders again on a fresh page', SLOW, async () => {
    const chair = await readFile(`${MODELS}WickerChair.glb`);
    await expect(posters.render(chair, { size: 128, timeoutMs: 1 })).rejects.toThrow(
      'poster: rendering took longer than 1 ms (timeoutMs) and was abandoned',
    );
    await expectPoster(await posters.render(chair, { size: 128 }), 128);
  });

  it('fails fast with the fix when chromium is missing', async () => {
    await expect(openPosterRenderer({ executablePath: '/nonexistent/chromium' })).rejects.toThrow(
      "poster: chromium not found at /nonexistent/chromium; install Debian's chromium: apt-get install -y chromium",
    );
  });
});
