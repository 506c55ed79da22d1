/**
 * `npm run deploy -- --env staging|production`: deploys both workers with wrangler, the asset worker
 * first (the showroom's service binding names it), then the showroom (its Durable Object migrations and
 * cron go with it). Refuses before calling wrangler when the environment is missing from either config
 * or still has `REPLACE_WITH_…` placeholders, listing each with its TOML path. Stops at the first failed
 * deploy and says what was and was not deployed. Exit codes: 0 deployed, 1 refused or failed, 2 usage.
 */
import { environmentArg, readEnvironment, runWrangler, WORKER_CONFIGS } from './wrangler-environments.ts';

const USAGE = 'usage: npm run deploy -- --env staging|production';

export async function deploy(argv: string[]): Promise<number> {
  const env = environmentArg(argv, USAGE);
  if (!env) return 2;
  let view: Awaited<ReturnType<typeof readEnvironment>>;
  try {
    view = await readEnvironment(env);
  } catch (err) {
    console.error(`deploy: ${(err as Error).message}`);
    return 1;
  }
  if (view.placeholders.length) {
    console.error(`deploy: ${env} still has placeholders; nothing was deployed. Replace:\n  ${view.placeholders.join('\n  ')}`);
    console.error(`(npm run setup:cloudflare -- --env ${env} creates the namespaces and buckets and prints their ids)`);
    return 1;
  }
  const done: string[] = [];
  for (const config of WORKER_CONFIGS) {
    console.log(`\n== deploying the ${config.name} worker (${env})`);
    const result = await runWrangler(['deploy', '-c', config.path, '--env', env], true);
    if (result.code !== 0) {
      const left = WORKER_CONFIGS.filter((c) => c !== config && !done.includes(c.name)).map((c) => c.name);
      console.error(
        `deploy: the ${config.name} worker failed (wrangler exit ${result.code}); deployed: ${done.join(', ') || 'nothing'}; not deployed: ${[config.name, ...left].join(', ')}`,
      );
      return 1;
    }
    done.push(config.name);
  }
  const secrets = [...new Set(view.secrets.map((s) => `wrangler secret put ${s.name} --env ${env} -c ${s.config}`))];
  console.log(`\ndeployed: ${done.join(', ')}. Secrets these workers require (set once, never in the repo):\n  ${secrets.join('\n  ')}`);
  return 0;
}

if (process.argv[1]?.endsWith('deploy.ts')) deploy(process.argv.slice(2)).then((code) => process.exit(code));
