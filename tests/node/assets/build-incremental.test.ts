/**
 * Incremental builds on the real WickerChair: an unchanged input (same bytes,
 * same settings) with its outputs present is not rebuilt; a settings change,
 * an input change or a missing output file rebuilds it, and files of the
 * previous build that the new manifest no longer names are removed.
 */
import { copyFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeIO } from '@gltf-transform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssets } from '../../../assets-pipeline/build/build-assets.ts';
import { resolveBuildSettings } from '../../../assets-pipeline/build/build-config.ts';
import type { BuildReport } from '../../../assets-pipeline/build/build-report.ts';
import type { ModelManifest } from '../../../assets-pipeline/build/write-manifest.ts';
import { WICKER_CHAIR } from './bad-inputs.ts';

let tmp: string;
let input: string;
let out: string;
let first: BuildReport;
const settings = resolveBuildSettings({ poster: { enabled: false } });
const build = (s = settings) => buildAssets({ inputs: [input], out, settings: s });
const manifest = async (): Promise<ModelManifest> => JSON.parse(await readFile(join(out, 'wickerchair', 'manifest.json'), 'utf8'));
const files = async () => (await readdir(join(out, 'wickerchair'))).sort();
const named = (m: ModelManifest) => ['manifest.json', 'tileset.json', ...m.levels.map((l) => l.uri)].sort();

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vitrine-build-incremental-'));
  input = join(tmp, 'WickerChair.glb');
  out = join(tmp, 'out');
  await copyFile(WICKER_CHAIR, input);
  first = await build();
}, 120_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('incremental assets build', () => {
  it('skips an unchanged model and leaves its files untouched', async () => {
    expect(first.models[0]!.status).toBe('built');
    const before = await manifest();
    const mtimes = await Promise.all((await files()).map(async (f) => (await stat(join(out, 'wickerchair', f))).mtimeMs));
    const again = await build();
    expect(again.models[0]!.status).toBe('unchanged');
    expect(again.models[0]!.levels).toEqual(first.models[0]!.levels);
    expect(again.models[0]!.warnings).toEqual(first.models[0]!.warnings);
    expect(await manifest()).toEqual(before);
    expect(await Promise.all((await files()).map(async (f) => (await stat(join(out, 'wickerchair', f))).mtimeMs))).toEqual(mtimes);
    const report: BuildReport = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.models[0]!.status).toBe('unchanged');
  });

  it('rebuilds when the settings change, and removes the files the new manifest does not name', async () => {
    const before = await manifest();
    const changed = await build(resolveBuildSettings({ poster: { enabled: false }, textures: { colorQuality: 60 } }));
    expect(changed.models[0]!.status).toBe('built');
    const after = await manifest();
    expect(after.levels[0]!.uri).not.toBe(before.levels[0]!.uri);
    expect(after.levels[0]!.bytes).toBeLessThan(before.levels[0]!.bytes);
    expect(await files()).toEqual(named(after));
  }, 60_000);

  it('rebuilds when an output file is missing', async () => {
    const current = await manifest();
    await rm(join(out, 'wickerchair', current.levels[1]!.uri));
    const rebuilt = await build();
    expect(rebuilt.models[0]!.status).toBe('built');
    expect(await files()).toEqual(named(await manifest()));
    expect(rebuilt.models[0]!.levels).toEqual(first.models[0]!.levels);
  }, 60_000);

  it('rebuilds when the input bytes change', async () => {
    const io = new NodeIO();
    const document = await io.read(input);
    document.getRoot().listNodes()[0]!.setName('renamed by the product team');
    await rm(input);
    await io.write(input, document);
    const rebuilt = await build();
    expect(rebuilt.models[0]!.status).toBe('built');
    expect((await build()).models[0]!.status).toBe('unchanged');
  }, 60_000);
});
