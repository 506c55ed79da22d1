import type { TestProject } from 'vitest/node';
import { startOrigin } from '../../examples/origin/start-origin.ts';
import { buildSnapshot, loadCatalogFile } from '../../static-fallback/importers/load-catalog.ts';
import { FIXTURE_CATALOG, FIXTURE_MODELS } from '../support/fixtures.ts';

/** Starts one real example origin on loopback for the workerd suite. */
export default async function setup(project: TestProject) {
  const origin = await startOrigin({
    port: 0,
    controlPort: 0,
    catalogPath: FIXTURE_CATALOG,
    modelsPath: FIXTURE_MODELS,
    dbPath: ':memory:',
    quiet: true,
  });
  const { products } = await loadCatalogFile(FIXTURE_CATALOG, { modelsPath: FIXTURE_MODELS });
  project.provide('originPort', origin.port);
  project.provide('originControlUrl', origin.controlUrl);
  project.provide('snapshot', buildSnapshot(products, { source: 'fixture', generatedAt: '2026-11-01T00:00:00.000Z' }));
  return () => origin.close();
}
