/**
 * The local stack's secrets and webhook targets, for `npm start`: each of
 * ADMIN_TOKEN, WEBHOOK_SECRET and WEBHOOK_URLS comes from the environment,
 * else from `.dev.vars` (dotenv syntax, ignored by git, also what `wrangler
 * dev` reads), else is generated (the secrets, written to `.dev.vars` so the
 * next start reuses them) or defaulted (WEBHOOK_URLS: the example origin's
 * CRM stand-in). Callers print where each came from, never the file's content.
 *
 * @example
 * const { values, sources, file } = await resolveLocalSecrets(PROJECT_ROOT, process.env, 'http://127.0.0.1:8788/crm/webhooks');
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCAL_SECRET_NAMES = ['ADMIN_TOKEN', 'WEBHOOK_SECRET', 'WEBHOOK_URLS'] as const;
export type LocalSecretName = (typeof LOCAL_SECRET_NAMES)[number];
export type SecretSource = 'environment' | '.dev.vars' | 'generated' | 'default';

export interface LocalSecrets {
  values: Record<LocalSecretName, string>;
  sources: Record<LocalSecretName, SecretSource>;
  /** The .dev.vars path (written when something was generated). */
  file: string;
  wrote: boolean;
}

/** KEY=value lines; `#` comments, blank lines, `export ` prefixes and single or double quotes allowed. */
export function parseDevVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    let value = match[2]!;
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    vars[match[1]!] = value;
  }
  return vars;
}

export async function resolveLocalSecrets(
  root: string,
  env: Record<string, string | undefined>,
  defaultWebhookUrls: string,
): Promise<LocalSecrets> {
  const file = join(root, '.dev.vars');
  const existing = await readFile(file, 'utf8').catch(() => '');
  const fromFile = parseDevVars(existing);
  const values = {} as Record<LocalSecretName, string>;
  const sources = {} as Record<LocalSecretName, SecretSource>;
  const generated: string[] = [];
  for (const name of LOCAL_SECRET_NAMES) {
    if (env[name]) [values[name], sources[name]] = [env[name]!, 'environment'];
    else if (fromFile[name]) [values[name], sources[name]] = [fromFile[name]!, '.dev.vars'];
    else if (name === 'WEBHOOK_URLS') [values[name], sources[name]] = [defaultWebhookUrls, 'default'];
    else {
      [values[name], sources[name]] = [randomBytes(24).toString('base64url'), 'generated'];
      generated.push(`${name}=${values[name]}`);
    }
  }
  if (generated.length) {
    const prefix = existing && !existing.endsWith('\n') ? `${existing}\n` : existing;
    const header = existing ? '' : '# Local secrets for npm start and wrangler dev (ignored by git). Delete a line to get a fresh value.\n';
    await writeFile(file, `${prefix}${header}${generated.join('\n')}\n`, { mode: 0o600 });
  }
  return { values, sources, file, wrote: generated.length > 0 };
}
