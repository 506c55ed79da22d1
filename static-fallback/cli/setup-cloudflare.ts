/**
 * `npm run setup:cloudflare -- --env <name>`: creates what an environment needs that `wrangler deploy`
 * does not create itself, or says it exists: the KV namespaces and R2 buckets both configs bind for that
 * environment (no queues are used). Then prints exactly what to put in each wrangler.toml and the secret
 * commands. Idempotent: a second run creates nothing. Exit codes: 0 done, 1 wrangler failed, 2 usage.
 */
import { environmentArg, readEnvironment, runWrangler } from './wrangler-environments.ts';

const USAGE = 'usage: npm run setup:cloudflare -- --env <name>';

export async function setupCloudflare(argv: string[]): Promise<number> {
  const env = environmentArg(argv, USAGE);
  if (!env) return 2;
  const view = await readEnvironment(env).catch((err: Error) => err);
  if (view instanceof Error) {
    console.error(`setup: ${view.message}`);
    return 1;
  }
  const fail = (what: string, r: { code: number; stderr: string; stdout: string }) => {
    console.error(`setup: ${what} failed (wrangler exit ${r.code}; is \`wrangler login\` done?)\n${r.stderr || r.stdout}`);
    return 1;
  };

  const listed = await runWrangler(['kv', 'namespace', 'list']);
  if (listed.code !== 0) return fail('wrangler kv namespace list', listed);
  const namespaces = JSON.parse(listed.stdout.slice(listed.stdout.indexOf('['))) as { id: string; title: string }[];
  const lines: string[] = [];
  for (const binding of [...new Set(view.kv.map((k) => k.binding))]) {
    const title = `vitrine-${env}-${binding.toLowerCase().replace(/_/g, '-')}`;
    let id = namespaces.find((n) => n.title === title)?.id;
    if (id) console.log(`KV ${title}: exists (${id})`);
    else {
      const created = await runWrangler(['kv', 'namespace', 'create', title]);
      if (created.code !== 0) return fail(`creating KV namespace ${title}`, created);
      id = /"?id"?\s*[:=]\s*"([0-9a-f]{32})"/.exec(created.stdout)?.[1];
      if (!id) return fail(`reading the id of ${title} from wrangler's answer`, created);
      console.log(`KV ${title}: created (${id})`);
    }
    for (const k of view.kv.filter((k) => k.binding === binding))
      lines.push(`${k.config}  [[env.${env}.kv_namespaces]] binding = "${binding}"  id = "${id}"${k.id === id ? '  (already set)' : ''}`);
  }

  const buckets = await runWrangler(['r2', 'bucket', 'list']);
  if (buckets.code !== 0) return fail('wrangler r2 bucket list', buckets);
  const existing = new Set([...buckets.stdout.matchAll(/^name:\s*(\S+)/gm)].map((m) => m[1]));
  for (const bucket of [...new Set(view.r2.map((r) => r.bucket))]) {
    if (existing.has(bucket)) console.log(`R2 ${bucket}: exists`);
    else {
      const created = await runWrangler(['r2', 'bucket', 'create', bucket]);
      if (created.code !== 0) return fail(`creating R2 bucket ${bucket}`, created);
      console.log(`R2 ${bucket}: created`);
    }
  }
  console.log('Queues: none needed.');
  console.log(`\nPut these in the configs (then npm run types):\n  ${lines.join('\n  ')}`);
  for (const p of view.placeholders.filter((p) => !p.includes('kv_namespaces'))) console.log(`  also replace: ${p}`);
  const secrets = [...new Set(view.secrets.map((s) => `wrangler secret put ${s.name} --env ${env} -c ${s.config}`))];
  console.log(`\nSecrets (typed in when asked; never commit them):\n  ${secrets.join('\n  ')}`);
  return 0;
}

if (process.argv[1]?.endsWith('setup-cloudflare.ts')) setupCloudflare(process.argv.slice(2)).then((code) => process.exit(code));
