/**
 * Bad inputs beside a good one: each bad model fails with a message naming it
 * and the exact problem, the good model (the real WickerChair) still builds,
 * and nothing is written for the failures.
 */
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssets } from '../../../assets-pipeline/build/build-assets.ts';
import { resolveBuildSettings } from '../../../assets-pipeline/build/build-config.ts';
import type { BuildReport, ModelReport } from '../../../assets-pipeline/build/build-report.ts';
import { type BadInputs, makeBadInputs, WICKER_CHAIR } from './bad-inputs.ts';

let tmp: string;
let bad: BadInputs;
let report: BuildReport;
const byId = (id: string): ModelReport => report.models.find((m) => m.id === id)!;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vitrine-build-bad-'));
  bad = await makeBadInputs(join(tmp, 'in'));
  await copyFile(WICKER_CHAIR, join(tmp, 'in', 'WickerChair.glb'));
  // Posters are the renderer's concern (and tested with the fixtures); here they would only add time.
  report = await buildAssets({
    inputs: [join(tmp, 'in')],
    out: join(tmp, 'out'),
    settings: resolveBuildSettings({ poster: { enabled: false } }),
  });
}, 180_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('assets build with bad inputs', () => {
  it('still builds the good model', () => {
    expect(byId('wickerchair').status).toBe('built');
    expect(byId('wickerchair').levels.length).toBeGreaterThan(1);
    expect(report.models.filter((m) => m.status === 'failed').map((m) => m.id)).toEqual([
      'huge-texture',
      'not-a-model',
      'point-cloud',
      'racquetmissingtexture',
      'truncated-chair',
    ]);
  });

  it.each([
    [
      'truncated-chair',
      /^truncated-chair \(truncated-chair\.glb\): truncated GLB: the header declares 3133680 bytes but the file has 1880208$/,
    ],
    [
      'racquetmissingtexture',
      /^racquetmissingtexture \(RacquetMissingTexture\.gltf\): references strings_material_normal\.png, which is missing/,
    ],
    ['not-a-model', /^not-a-model \(not-a-model\.glb\): not a glTF model: neither a GLB \(no "glTF" header\) nor glTF JSON/],
    ['point-cloud', /^point-cloud \(point-cloud\.glb\): has no triangles to show/],
    ['huge-texture', /^huge-texture \(huge-texture\.glb\): huge_baseColor is 8192×8192 px; textures may be at most 4096 px/],
  ])('answers %s with a clear message', (id, message) => {
    const model = byId(id);
    expect(model.status).toBe('failed');
    expect(model.error).toMatch(message);
    expect(model.levels).toEqual([]);
  });

  it('names the missing file by the name the model uses for it', () => {
    expect(byId('racquetmissingtexture').error).toContain(bad.missingTexture);
  });

  it('writes nothing for the failed models and records every model in report.json', async () => {
    expect((await readdir(join(tmp, 'out'))).sort()).toEqual(['.build-cache.json', '_viewer', 'report.json', 'wickerchair']);
    const written: BuildReport = JSON.parse(await readFile(join(tmp, 'out', 'report.json'), 'utf8'));
    expect(written.models.map((m) => [m.id, m.status])).toEqual(report.models.map((m) => [m.id, m.status]));
  });

  it('accepts the 8192-px texture when the limit allows it', async () => {
    const settings = resolveBuildSettings({ maxInputTextureSize: 8192, poster: { enabled: false } });
    const again = await buildAssets({ inputs: [bad.hugeTexture], out: join(tmp, 'out-huge'), settings });
    expect(again.models[0]!.status).toBe('built');
    expect(again.models[0]!.levels[0]!.textureSize).toBe(2048);
  }, 60_000);
});
