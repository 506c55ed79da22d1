/**
 * The storage the showroom's bindings name in wrangler.toml: the KV namespace
 * id behind CATALOG_KV and the R2 bucket behind ASSETS_R2, at the top level
 * (local development) or in `[env.<name>]`. One reader for every tool that
 * publishes, so local and remote writes land where the Worker reads.
 *
 * @example
 * storageNames().r2BucketName;          // 'vitrine-assets-local'
 * storageNames('staging').r2BucketName; // 'vitrine-assets-staging'
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';

export const WRANGLER_CONFIG = fileURLToPath(new URL('../../wrangler.toml', import.meta.url));

interface StorageTables {
  kv_namespaces?: { binding?: string; id?: string }[];
  r2_buckets?: { binding?: string; bucket_name?: string }[];
}

/** The names, each undefined when the section has no such binding. */
export function storageNames(env?: string, configPath = WRANGLER_CONFIG): { kvNamespaceId?: string; r2BucketName?: string } {
  const config = parse(readFileSync(configPath, 'utf8')) as StorageTables & { env?: Record<string, StorageTables> };
  const section = env === undefined ? config : config.env?.[env];
  return {
    kvNamespaceId: section?.kv_namespaces?.find((ns) => ns.binding === 'CATALOG_KV')?.id,
    r2BucketName: section?.r2_buckets?.find((b) => b.binding === 'ASSETS_R2')?.bucket_name,
  };
}
