/**
 * The asset worker's wrangler config with local vars set, for running it beside
 * the showroom in one `wrangler dev -c wrangler.toml -c <this file>`: wrangler's
 * `--var` reaches only the first config, so the asset worker's vars (its primary
 * CDN URL, for one) go into a copy of workers/assets/wrangler.toml written next
 * to the local state, with `main` made absolute. Bindings are unchanged, so both
 * workers share the persisted KV and R2.
 *
 * @example
 * const config = await writeAssetsWorkerConfig('.vitrine', { ASSET_PRIMARY_URL: 'http://127.0.0.1:8788/cdn' });
 * // wrangler dev -c wrangler.toml -c <config>
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'smol-toml';

export const ASSETS_WORKER_CONFIG = fileURLToPath(new URL('../../workers/assets/wrangler.toml', import.meta.url));

/** Writes `<dir>/assets-worker.wrangler.toml` and returns its path. */
export async function writeAssetsWorkerConfig(dir: string, vars: Record<string, string>): Promise<string> {
  const config = parse(await readFile(ASSETS_WORKER_CONFIG, 'utf8')) as { main: string; vars?: Record<string, string> };
  config.main = resolve(dirname(ASSETS_WORKER_CONFIG), config.main);
  config.vars = { ...config.vars, ...vars };
  const path = join(dir, 'assets-worker.wrangler.toml');
  await writeFile(path, `# Generated from workers/assets/wrangler.toml for local runs; do not edit.\n${stringify(config)}\n`);
  return path;
}
