/**
 * The showroom's wrangler config with its per-client write limits changed, for
 * local runs that play many shoppers from one loopback address (system tests,
 * benchmarks, drills): `wrangler dev` gives every request the caller's own
 * CF-Connecting-IP, so they would all share one client's budget. The copy is
 * written next to the local state with `main` made absolute; every other
 * setting and binding is the same.
 *
 * @example
 * const config = await writeShowroomConfig(stateDir, { WRITE_LIMITER: 100_000, EVENT_LIMITER: 100_000 });
 * // wrangler dev -c <config>
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'smol-toml';

export const SHOWROOM_WORKER_CONFIG = fileURLToPath(new URL('../../wrangler.toml', import.meta.url));

type RateLimit = { name: string; simple: { limit: number; period: number } };

/** Writes `<dir>/showroom.wrangler.toml` with the named rate limits' `limit` replaced; returns its path. */
export async function writeShowroomConfig(dir: string, limits: Record<string, number>): Promise<string> {
  const config = parse(await readFile(SHOWROOM_WORKER_CONFIG, 'utf8')) as { main: string; ratelimits?: RateLimit[] };
  config.main = resolve(dirname(SHOWROOM_WORKER_CONFIG), config.main);
  for (const [name, limit] of Object.entries(limits)) {
    const binding = config.ratelimits?.find((r) => r.name === name);
    if (!binding) throw new Error(`${SHOWROOM_WORKER_CONFIG} has no rate limit named ${name}`);
    binding.simple.limit = limit;
  }
  const path = join(dir, 'showroom.wrangler.toml');
  await writeFile(path, `# Generated from wrangler.toml for local runs; do not edit.\n${stringify(config)}\n`);
  return path;
}
