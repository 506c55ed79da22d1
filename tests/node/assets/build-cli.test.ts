/**
 * `npm run assets -- build` as a process: the summary table, `--json`, the
 * exit codes (1 when a model failed, 2 on usage errors) and `--strict`.
 * Inputs are a small generated model and a non-glTF file: the pipeline's
 * work on real models is covered by the other build-*.test.ts files.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildReport } from '../../../assets-pipeline/build/build-report.ts';
import { writeSphereModel } from './bad-inputs.ts';

let tmp: string;
let sphere: string;
let notGltf: string;
let noPosters: string;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'assets-pipeline/assets-cli.ts', ...args],
      { cwd: process.cwd() },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vitrine-build-cli-'));
  sphere = await writeSphereModel(join(tmp, 'Sphere.glb'));
  notGltf = join(tmp, 'notes.glb');
  await writeFile(notGltf, 'not a model');
  noPosters = join(tmp, 'no-posters.json');
  await writeFile(noPosters, JSON.stringify({ poster: { enabled: false } }));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('assets CLI build', () => {
  it('prints the summary table and exits 1 when a model failed, having built the others', async () => {
    const { code, stdout } = await cli('build', sphere, notGltf, '--out', join(tmp, 'out'), '--config', noPosters);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^sphere\s+built\s+\d\s/m);
    expect(stdout).toMatch(/^notes\s+FAILED/m);
    expect(stdout).toContain('✗ notes (notes.glb): not a glTF model');
  }, 60_000);

  it('prints the report with --json and exits 0 when every model built', async () => {
    const { code, stdout } = await cli('build', sphere, '--out', join(tmp, 'out-json'), '--config', noPosters, '--json');
    expect(code).toBe(0);
    const report: BuildReport = JSON.parse(stdout);
    expect(report.models.map((m) => [m.id, m.status])).toEqual([['sphere', 'built']]);
  }, 60_000);

  it('warns about an over-budget first-paint level, and fails it with --strict', async () => {
    const tight = join(tmp, 'tight.json');
    await writeFile(tight, JSON.stringify({ poster: { enabled: false }, budgets: { firstPaintBytes: 1000 } }));
    const warned = await cli('build', sphere, '--out', join(tmp, 'out-budget'), '--config', tight, '--json');
    expect(warned.code).toBe(0);
    expect((JSON.parse(warned.stdout) as BuildReport).models[0]!.warnings.join('\n')).toMatch(
      /first-paint level is \d+ bytes, over the 1000-byte budget/,
    );
    const strict = await cli('build', sphere, '--out', join(tmp, 'out-strict'), '--config', tight, '--strict', '--json');
    expect(strict.code).toBe(1);
    expect((JSON.parse(strict.stdout) as BuildReport).models[0]!.error).toMatch(
      /^sphere \(Sphere\.glb\): first-paint level is \d+ bytes, over the 1000-byte budget .*--strict/,
    );
  }, 60_000);

  it('exits 2 with the usage on a bad command line, 1 with the key on a bad config', async () => {
    const usage = await cli('build', sphere);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('build needs model files or folders and --out <dir>');
    const badConfig = join(tmp, 'bad.json');
    await writeFile(badConfig, JSON.stringify({ levels: [] }));
    const bad = await cli('build', sphere, '--out', join(tmp, 'out-bad'), '--config', badConfig);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/config .*bad\.json: levels: /);
  }, 60_000);
});
