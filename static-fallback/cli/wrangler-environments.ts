/**
 * What deploy and setup need to know about both workers' wrangler configs for
 * one environment: whether it exists in both, the `REPLACE_WITH_…`
 * placeholders still in it (with their TOML paths), its KV namespaces and R2
 * buckets, its required secrets, and how to run wrangler (VITRINE_WRANGLER
 * overrides the project's own binary; tests use that for a fake).
 *
 * @example
 * const env = await readEnvironment('staging');
 * if (env.placeholders.length) console.error(env.placeholders.join('\n'));
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'smol-toml';
import { PROJECT_ROOT } from '../local-state.ts';

export interface WorkerConfigRef {
  name: 'showroom' | 'assets';
  path: string;
}

/** In deploy order. VITRINE_ASSETS_CONFIG / VITRINE_SHOWROOM_CONFIG point elsewhere (tests, forks). */
export const WORKER_CONFIGS: WorkerConfigRef[] = [
  { name: 'assets', path: process.env.VITRINE_ASSETS_CONFIG || join(PROJECT_ROOT, 'workers/assets/wrangler.toml') },
  { name: 'showroom', path: process.env.VITRINE_SHOWROOM_CONFIG || join(PROJECT_ROOT, 'wrangler.toml') },
];

export interface EnvironmentView {
  name: string;
  /** `<file>  <toml path> = "<value>"` for every placeholder left. */
  placeholders: string[];
  kv: { config: string; binding: string; id: string }[];
  r2: { config: string; binding: string; bucket: string }[];
  secrets: { config: string; name: string }[];
}

type Toml = Record<string, unknown>;

export async function readEnvironment(name: string, configs: WorkerConfigRef[] = WORKER_CONFIGS): Promise<EnvironmentView> {
  const view: EnvironmentView = { name, placeholders: [], kv: [], r2: [], secrets: [] };
  for (const config of configs) {
    const toml = parse(await readFile(config.path, 'utf8')) as Toml;
    const envs = (toml.env ?? {}) as Record<string, Toml>;
    const section = envs[name];
    if (!section) {
      throw new Error(`${config.path} has no [env.${name}] (environments there: ${Object.keys(envs).join(', ') || 'none'})`);
    }
    collectPlaceholders(section, `env.${name}`, config.path, view.placeholders);
    for (const kv of (section.kv_namespaces ?? []) as { binding: string; id: string }[])
      view.kv.push({ config: config.path, binding: kv.binding, id: kv.id });
    for (const r2 of (section.r2_buckets ?? []) as { binding: string; bucket_name: string }[])
      view.r2.push({ config: config.path, binding: r2.binding, bucket: r2.bucket_name });
    for (const secret of ((section.secrets as { required?: string[] } | undefined)?.required ?? []) as string[])
      view.secrets.push({ config: config.path, name: secret });
  }
  return view;
}

function collectPlaceholders(value: unknown, path: string, file: string, out: string[]): void {
  if (typeof value === 'string') {
    if (value.includes('REPLACE_WITH_')) out.push(`${file}  ${path} = ${JSON.stringify(value)}`);
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) collectPlaceholders(v, `${path}[${i}]`, file, out);
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) collectPlaceholders(v, `${path}.${k}`, file, out);
}

export function wranglerBinary(): string {
  return process.env.VITRINE_WRANGLER || join(PROJECT_ROOT, 'node_modules/.bin/wrangler');
}

/** Runs wrangler; `inherit` streams its output, else it is captured. */
export function runWrangler(args: string[], inherit = false): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(wranglerBinary(), args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c) => (stdout += c));
    child.stderr?.on('data', (c) => (stderr += c));
    child.on('error', (err) => resolve({ code: 127, stdout, stderr: String(err) }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The `--env <name>` of a command line, or null after printing the usage (exit code 2). */
export function environmentArg(argv: string[], usage: string): string | null {
  try {
    const env = parseArgs({ args: argv, options: { env: { type: 'string' } } }).values.env;
    if (env) return env;
  } catch (err) {
    console.error((err as Error).message);
  }
  console.error(usage);
  return null;
}
