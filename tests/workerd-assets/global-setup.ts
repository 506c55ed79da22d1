/**
 * Node side of the workerd-assets project: builds the fixture models with the
 * real pipeline (incremental across runs), runs the real publish into a store
 * that records each object with the metadata publish writes (the tests put
 * them into the worker's R2), and starts the example origin on loopback, whose
 * `/cdn` serves the same files as the merchant's primary asset CDN, with
 * faults set through its control port.
 */
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildAssets } from '../../assets-pipeline/build/build-assets.ts';
import type { AssetStore } from '../../assets-pipeline/publish/asset-store.ts';
import { publishAssets } from '../../assets-pipeline/publish/publish-assets.ts';
import { startOrigin } from '../../examples/origin/start-origin.ts';
import { readModelFiles } from '../../static-fallback/importers/models-map.ts';
import { PROJECT_ROOT } from '../../static-fallback/local-state.ts';
import { FIXTURE_MODELS } from '../support/fixtures.ts';
import type { PublishedFile } from './provided-context.ts';

/** Where this suite builds the fixture models (apart from other suites' builds). */
const ASSETS_DIR = join(PROJECT_ROOT, '.vitrine/test-assets-workerd');

export default async function setup(project: TestProject) {
  const report = await buildAssets({ inputs: await readModelFiles(FIXTURE_MODELS), out: ASSETS_DIR });
  const failed = report.models.filter((m) => m.status === 'failed');
  if (failed.length) throw new Error(`fixture models failed to build: ${failed.map((m) => m.error).join('; ')}`);
  const files: PublishedFile[] = [];
  const recorder: AssetStore = {
    head: async () => null,
    put: async (key, bytes, { httpMetadata, customMetadata }) => {
      files.push({
        key,
        bytes: bytes.byteLength,
        sha256: customMetadata.sha256,
        contentType: httpMetadata.contentType,
        cacheControl: httpMetadata.cacheControl ?? '',
        base64: Buffer.from(bytes).toString('base64'),
      });
    },
  };
  await publishAssets({ dir: ASSETS_DIR, store: recorder });
  const origin = await startOrigin({ port: 0, controlPort: 0, dbPath: ':memory:', assetsDir: ASSETS_DIR, quiet: true });
  project.provide('publishedFiles', files);
  project.provide('cdnUrl', `${origin.url}/cdn`);
  project.provide('cdnControlUrl', origin.controlUrl);
  return () => origin.close();
}
