/**
 * The R2 bucket behind the ASSETS_R2 binding of a wrangler.toml environment,
 * so a remote publish writes where the deployed Worker reads.
 */
import { storageNames, WRANGLER_CONFIG } from '../../static-fallback/cli/wrangler-storage.ts';

export const ASSETS_BINDING = 'ASSETS_R2';

/**
 * The `bucket_name` of `[[env.<env>.r2_buckets]]` bound as ASSETS_R2.
 * @throws Error naming the file and the environment when there is none.
 *
 * @example
 * await assetsBucketFor('staging'); // 'vitrine-assets-staging'
 */
export async function assetsBucketFor(env: string, configPath = WRANGLER_CONFIG): Promise<string> {
  const bucket = storageNames(env, configPath).r2BucketName;
  if (!bucket)
    throw new Error(
      `${configPath}: no [[env.${env}.r2_buckets]] with binding = "${ASSETS_BINDING}" and a bucket_name; is "${env}" an environment there?`,
    );
  return bucket;
}
