import type { TestProject } from 'vitest/node';
import { startOrigin } from '../../examples/origin/start-origin.ts';
import { buildSnapshot, loadCatalogFile } from '../../static-fallback/importers/load-catalog.ts';
import { FIXTURE_CATALOG, FIXTURE_MODELS } from '../support/fixtures.ts';
import { WEBHOOK_SECRET_FOR_TESTS } from './admin-token.ts';

/**
 * Starts one real example origin on loopback for the workerd suite, and a second one that plays the
 * merchant's CRM (its /crm/webhooks receives incident webhooks; its own faults stage a CRM outage).
 */
export default async function setup(project: TestProject) {
  const options = { port: 0, controlPort: 0, catalogPath: FIXTURE_CATALOG, modelsPath: FIXTURE_MODELS, dbPath: ':memory:', quiet: true };
  const origin = await startOrigin(options);
  const crm = await startOrigin({ ...options, webhookSecret: WEBHOOK_SECRET_FOR_TESTS });
  const { products } = await loadCatalogFile(FIXTURE_CATALOG, { modelsPath: FIXTURE_MODELS });
  project.provide('originPort', origin.port);
  project.provide('originControlUrl', origin.controlUrl);
  project.provide('crmPort', crm.port);
  project.provide('crmControlUrl', crm.controlUrl);
  project.provide('snapshot', buildSnapshot(products, { source: 'fixture', generatedAt: '2026-11-01T00:00:00.000Z' }));
  return async () => {
    await origin.close();
    await crm.close();
  };
}
