/**
 * The R2 bucket behind the ASSETS_R2 binding of a wrangler.toml environment,
 * so a remote publish writes where the deployed Worker reads.
 */
import { readFile } from 'node:fs/promises';
import { PROJECT_ROOT } from '../../static-fallback/local-state.ts';

export const ASSETS_BINDING = 'ASSETS_R2';

/**
 * Reads `[[env.<env>.r2_buckets]]` tables (one key per line, as wrangler.toml
 * writes them) and returns the `bucket_name` of the one bound as ASSETS_R2.
 * @throws Error naming the file and the environment when there is none.
 *
 * @example
 * await assetsBucketFor('staging'); // 'vitrine-assets-staging'
 */
export async function assetsBucketFor(env: string, configPath = `${PROJECT_ROOT}wrangler.toml`): Promise<string> {
  const header = `[[env.${env}.r2_buckets]]`;
  let table: Record<string, string> | undefined;
  const tables: Record<string, string>[] = [];
  for (const raw of (await readFile(configPath, 'utf8')).split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line.startsWith('[')) {
      table = line === header ? {} : undefined;
      if (table) tables.push(table);
      continue;
    }
    const pair = /^([A-Za-z_]+)\s*=\s*"([^"]*)"$/.exec(line);
    if (table && pair) table[pair[1]!] = pair[2]!;
  }
  const bucket = tables.find((t) => t.binding === ASSETS_BINDING)?.bucket_name;
  if (!bucket)
    throw new Error(`${configPath}: no ${header} with binding = "${ASSETS_BINDING}" and a bucket_name; is "${env}" an environment there?`);
  return bucket;
}
