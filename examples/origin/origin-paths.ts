/**
 * Where the example origin finds its files by default (all relative to the project root).
 */
import { resolve } from 'node:path';

/** The project root (the folder holding package.json). */
export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/** Default catalog file: the shared dummyjson fixture. */
export const DEFAULT_CATALOG_PATH = resolve(PROJECT_ROOT, '../shared/fixtures/catalog/products.json');

/** Default SKU → 3D model map. */
export const DEFAULT_MODELS_PATH = resolve(PROJECT_ROOT, '../shared/fixtures/catalog/models.json');

/** Default SQLite database of orders and leads. */
export const DEFAULT_DB_PATH = resolve(PROJECT_ROOT, '.vitrine/origin.sqlite');

/** Default shopper-facing port; the control port defaults to this + 1. */
export const DEFAULT_ORIGIN_PORT = 8788;

/** The host the origin listens on: loopback only. */
export const ORIGIN_HOST = '127.0.0.1';
