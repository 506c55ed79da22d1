import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildAssets } from '../../assets-pipeline/build/build-assets.ts';
import { readModelOutputs } from '../../assets-pipeline/publish/read-model-outputs.ts';
import { startOrigin } from '../../examples/origin/start-origin.ts';
import { readModelFiles } from '../../static-fallback/importers/models-map.ts';
import { PROJECT_ROOT } from '../../static-fallback/local-state.ts';
import { FIXTURE_MODELS } from '../support/fixtures.ts';
import type { PublishedFile } from './provided-context.ts';

/** Where this suite builds the fixture models (incremental across runs, apart from other suites' builds). */
const ASSETS_DIR = join(PROJECT_ROOT, '.vitrine/test-assets-workerd');

/**
 * Builds the fixture models with the real pipeline, hands their files (with the metadata publish writes) to the
 * tests, and starts the example origin, whose `/cdn` serves the same files as the merchant's primary asset CDN.
 */
export default async function setup(project: TestProject) {
  const report = await buildAssets({ inputs: await readModelFiles(FIXTURE_MODELS), out: ASSETS_DIR });
  const failed = report.models.filter((m) => m.status === 'failed');
  if (failed.length) throw new Error(`fixture models failed to build: ${failed.map((m) => m.error).join('; ')}`);
  const files: PublishedFile[] = [];
  for (const plan of await readModelOutputs(ASSETS_DIR)) {
    for (const object of [...plan.files, ...plan.indexes]) {
      files.push({ ...object, base64: (await readFile(object.path)).toString('base64') });
    }
  }
  const origin = await startOrigin({ port: 0, controlPort: 0, dbPath: ':memory:', assetsDir: ASSETS_DIR, quiet: true });
  project.provide('publishedFiles', files);
  project.provide('cdnUrl', `${origin.url}/cdn`);
  project.provide('cdnControlUrl', origin.controlUrl);
  return () => origin.close();
}
