/**
 * The build on the real fixture models (WickerChair, DamagedHelmet, and the
 * TennisRacquet .gltf with external .bin and PNGs): every level valid (as
 * shipped and decoded), triangles falling, files matching the manifest and
 * their names, a poster, a 3D Tiles tileset, the first-paint budget, and the
 * same bytes from a second build.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { validateBytes } from 'gltf-validator';
import { MeshoptDecoder } from 'meshoptimizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssets } from '../../../assets-pipeline/build/build-assets.ts';
import { BUILD_DEFAULTS, resolveBuildSettings } from '../../../assets-pipeline/build/build-config.ts';
import type { BuildReport } from '../../../assets-pipeline/build/build-report.ts';
import type { ModelManifest } from '../../../assets-pipeline/build/write-manifest.ts';
import type { Tile, Tileset } from '../../../assets-pipeline/build/write-tileset.ts';
import { FIXTURE_MODELS_DIR, WICKER_CHAIR } from './bad-inputs.ts';

const IDS = ['damagedhelmet', 'tennisracquet', 'wickerchair'];
let tmp: string;
let report: BuildReport;
let again: BuildReport;
const manifests: Record<string, ModelManifest> = {};
const io = new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({ 'meshopt.decoder': MeshoptDecoder });

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vitrine-build-fixtures-'));
  report = await buildAssets({ inputs: [FIXTURE_MODELS_DIR], out: join(tmp, 'a') });
  for (const id of IDS) manifests[id] = JSON.parse(await readFile(join(tmp, 'a', id, 'manifest.json'), 'utf8'));
  // A second, independent build (no posters: they come from the renderer, not these bytes) for determinism.
  again = await buildAssets({
    inputs: [FIXTURE_MODELS_DIR],
    out: join(tmp, 'b'),
    settings: resolveBuildSettings({ poster: { enabled: false } }),
  });
}, 300_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('assets build on the fixture models', () => {
  it('builds every model with the default four levels and reports it', async () => {
    expect(report.models.map((m) => [m.id, m.status, m.error])).toEqual(IDS.map((id) => [id, 'built', undefined]));
    const written = JSON.parse(await readFile(join(tmp, 'a', 'report.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(report)));
    expect(written.settings).toEqual(BUILD_DEFAULTS);
    for (const id of IDS) expect(manifests[id]!.levels).toHaveLength(BUILD_DEFAULTS.levels.length);
  });

  it('writes files whose sizes match the manifest and whose names carry their SHA-256', async () => {
    for (const id of IDS) {
      const manifest = manifests[id]!;
      expect(manifest.id).toBe(id);
      for (const [i, file] of [...manifest.levels, manifest.poster!].entries()) {
        const bytes = await readFile(join(tmp, 'a', id, file.uri));
        expect(bytes.byteLength).toBe(file.bytes);
        expect(file.uri).toBe(i < manifest.levels.length ? `${i}-${sha12(bytes)}.glb` : `poster-${sha12(bytes)}.webp`);
      }
      const modelReport = report.models.find((m) => m.id === id)!;
      expect(modelReport.levels).toEqual(
        manifest.levels.map(({ uri, bytes, triangles, textureSize }) => ({ uri, bytes, triangles, textureSize })),
      );
      expect(modelReport.poster).toEqual(manifest.poster);
      expect(modelReport.source).toEqual(manifest.source);
    }
    const racquetInputs = ['TennisRacquet.gltf', 'TennisRacquet.bin', ...pngsOfRacquet()];
    const sizes = await Promise.all(racquetInputs.map((f) => stat(join(FIXTURE_MODELS_DIR, 'TennisRacquet', f)).then((s) => s.size)));
    expect(manifests.tennisracquet!.source.bytes).toBe(sizes.reduce((a, b) => a + b, 0));
  });

  it('makes every level valid for the Khronos validator, as shipped and decoded, with falling triangles', async () => {
    for (const id of IDS) {
      const { levels, source } = manifests[id]!;
      expect(levels[0]!.triangles).toBeLessThanOrEqual(source.triangles);
      for (const [i, level] of levels.entries()) {
        if (i > 0) expect(level.triangles).toBeLessThan(levels[i - 1]!.triangles);
        if (i > 0) expect(level.geometricError).toBeGreaterThanOrEqual(levels[i - 1]!.geometricError);
        const glb = new Uint8Array(await readFile(join(tmp, 'a', id, level.uri)));
        expect(await errorsOf(glb), `${id} level ${i}`).toEqual([]);
        const document = await io.readBinary(glb);
        expect(
          document
            .getRoot()
            .listExtensionsRequired()
            .map((e) => e.extensionName),
        ).toContain('EXT_meshopt_compression');
        for (const ext of document.getRoot().listExtensionsUsed()) if (ext.extensionName === 'EXT_meshopt_compression') ext.dispose();
        const decoded = await io.writeBinary(document);
        expect(await errorsOf(decoded), `${id} level ${i} decoded`).toEqual([]);
        const textures = document.getRoot().listTextures();
        expect(textures.every((t) => t.getMimeType() === 'image/webp')).toBe(true);
        expect(Math.max(...textures.map((t) => Math.max(...t.getSize()!)))).toBeLessThanOrEqual(level.textureSize);
      }
    }
  });

  it('keeps the first-paint level within 150 KB and 4% of the input', () => {
    for (const id of IDS) {
      const { levels, source } = manifests[id]!;
      const firstPaint = levels.at(-1)!;
      expect(firstPaint.bytes).toBeLessThanOrEqual(BUILD_DEFAULTS.budgets.firstPaintBytes);
      expect(firstPaint.bytes / source.bytes).toBeLessThanOrEqual(0.04);
    }
  });

  it('keeps the alpha-blended wicker texture transparent and renders a 1024-px WebP poster', async () => {
    const chair = await io.readBinary(new Uint8Array(await readFile(join(tmp, 'a', 'wickerchair', manifests.wickerchair!.levels[0]!.uri))));
    const blended = chair
      .getRoot()
      .listMaterials()
      .find((m) => m.getAlphaMode() === 'BLEND')!;
    const { default: sharp } = await import('sharp');
    expect((await sharp(blended.getBaseColorTexture()!.getImage()!).metadata()).hasAlpha).toBe(true);
    for (const id of IDS) {
      const poster = manifests[id]!.poster!;
      expect([poster.width, poster.height]).toEqual([1024, 1024]);
      const meta = await sharp(join(tmp, 'a', id, poster.uri)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 1024, 1024]);
    }
  });

  it('describes the same levels in a 3D Tiles 1.1 tileset, coarsest at the root, refine REPLACE', async () => {
    for (const id of IDS) {
      const tileset: Tileset = JSON.parse(await readFile(join(tmp, 'a', id, 'tileset.json'), 'utf8'));
      expect(tileset.asset.version).toBe('1.1');
      const chain: Tile[] = [];
      for (let tile: Tile | undefined = tileset.root; tile; tile = tile.children?.[0]) chain.push(tile);
      const levels = manifests[id]!.levels;
      expect(chain.map((t) => t.content.uri)).toEqual(levels.map((l) => l.uri).reverse());
      expect(chain.every((t) => t.refine === 'REPLACE' && t.boundingVolume.box.length === 12)).toBe(true);
      const errors = [tileset.geometricError, ...chain.map((t) => t.geometricError)];
      expect(errors.every((e, i) => i === 0 || e <= errors[i - 1]!)).toBe(true);
      expect(chain.at(-1)!.geometricError).toBe(0);
    }
  });

  it('gives identical level bytes (same hashes) when built again', () => {
    expect(again.models.map((m) => m.status)).toEqual(['built', 'built', 'built']);
    for (const [i, model] of report.models.entries()) expect(again.models[i]!.levels).toEqual(model.levels);
  });

  it('is no larger at full detail than `gltf-transform optimize --compress meshopt --texture-compress webp`', async () => {
    const out = join(tmp, 'optimize-wickerchair.glb');
    const cli = join(process.cwd(), 'node_modules', '@gltf-transform', 'cli', 'bin', 'cli.js');
    await promisify(execFile)(process.execPath, [
      cli,
      'optimize',
      WICKER_CHAIR,
      out,
      '--compress',
      'meshopt',
      '--texture-compress',
      'webp',
    ]);
    expect(manifests.wickerchair!.levels[0]!.bytes).toBeLessThanOrEqual((await stat(out)).size);
  }, 60_000);
});

async function errorsOf(glb: Uint8Array): Promise<string[]> {
  const result = await validateBytes(glb, { maxIssues: 0, writeTimestamp: false });
  return result.issues.messages.filter((m) => m.severity === 0).map((m) => `${m.code} ${m.pointer}: ${m.message}`);
}

function sha12(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}

function pngsOfRacquet(): string[] {
  return ['frame', 'handle', 'plastic_parts', 'strings'].flatMap((part) =>
    ['baseColor', 'normal', 'occlusionRoughnessMetallic'].map((map) => `${part}_material_${map}.png`),
  );
}
