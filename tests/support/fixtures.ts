import { fileURLToPath } from 'node:url';

/** The shared fixtures, beside the project root (../shared). */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
export const FIXTURE_CATALOG = `${FIXTURES_DIR}catalog/products.json`;
export const FIXTURE_SHOPIFY_CSV = `${FIXTURES_DIR}catalog/shopify-products.csv`;
export const FIXTURE_MODELS = `${FIXTURES_DIR}catalog/models.json`;
