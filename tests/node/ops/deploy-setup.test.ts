/**
 * `npm run deploy` and `npm run setup:cloudflare` as processes, with a fake wrangler
 * (tests/node/ops/fixtures/fake-wrangler.mjs) that records its calls: no Cloudflare account is touched.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../static-fallback/local-state.ts';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-deploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FAKE = join(PROJECT_ROOT, 'tests/node/ops/fixtures/fake-wrangler.mjs');
let run = 0;

function cli(script: string, args: string[], extra: Record<string, string> = {}, state = { kv: [] as unknown[], r2: [] as string[] }) {
  const log = join(dir, `calls-${++run}.log`);
  const statePath = join(dir, `state-${run}.json`);
  writeFileSync(log, '');
  writeFileSync(statePath, JSON.stringify(state));
  return new Promise<{
    code: number;
    out: string;
    err: string;
    calls: string[][];
    state: { kv: { id: string; title: string }[]; r2: string[] };
  }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `static-fallback/cli/${script}`, ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH!, VITRINE_WRANGLER: FAKE, FAKE_WRANGLER_LOG: log, FAKE_WRANGLER_STATE: statePath, ...extra },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        out,
        err,
        calls: readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as string[]),
        state: JSON.parse(readFileSync(statePath, 'utf8')),
      }),
    );
  });
}

/** Both real configs with every placeholder of staging filled in (main made absolute). */
function filledConfigs(): Record<string, string> {
  const fill = (path: string, name: string) => {
    const text = readFileSync(path, 'utf8')
      .replace(/REPLACE_WITH_[A-Z_]+/g, (p) =>
        p.includes('KV_NAMESPACE_ID') ? 'a'.repeat(32) : p.includes('STORE') ? 'Acme' : 'acme.example.com',
      )
      .replace(/^main = "(.+)"$/m, (_m, main: string) => `main = "${join(path, '..', main)}"`);
    const out = join(dir, name);
    writeFileSync(out, text);
    return out;
  };
  return {
    VITRINE_SHOWROOM_CONFIG: fill(join(PROJECT_ROOT, 'wrangler.toml'), 'showroom.toml'),
    VITRINE_ASSETS_CONFIG: fill(join(PROJECT_ROOT, 'workers/assets/wrangler.toml'), 'assets.toml'),
  };
}

describe('npm run deploy', () => {
  it('refuses while placeholders are left, listing each with its path, and calls no wrangler', async () => {
    const { code, err, calls } = await cli('deploy.ts', ['--env', 'staging']);
    expect(code).toBe(1);
    expect(err).toContain('env.staging.kv_namespaces[0].id = "REPLACE_WITH_STAGING_KV_NAMESPACE_ID"');
    expect(err).toContain('nothing was deployed');
    expect(calls).toEqual([]);
  });

  it('deploys the asset worker, then the showroom, and names the secrets to set', async () => {
    const configs = filledConfigs();
    const { code, out, calls } = await cli('deploy.ts', ['--env', 'staging'], configs);
    expect(code).toBe(0);
    expect(calls).toEqual([
      ['deploy', '-c', configs.VITRINE_ASSETS_CONFIG, '--env', 'staging'],
      ['deploy', '-c', configs.VITRINE_SHOWROOM_CONFIG, '--env', 'staging'],
    ]);
    expect(out).toContain(`wrangler secret put WEBHOOK_SECRET --env staging -c ${configs.VITRINE_SHOWROOM_CONFIG}`);
  });

  it('stops at a failed deploy and says what was not deployed; an unknown environment is named', async () => {
    const failed = await cli('deploy.ts', ['--env', 'staging'], { ...filledConfigs(), FAKE_WRANGLER_FAIL: 'deploy' });
    expect(failed.code).toBe(1);
    expect(failed.calls).toHaveLength(1);
    expect(failed.err).toContain('deployed: nothing; not deployed: assets, showroom');
    const unknown = await cli('deploy.ts', ['--env', 'qa']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/has no \[env\.qa\] \(environments there: staging, production\)/);
    expect((await cli('deploy.ts', [])).code).toBe(2);
  });
});

describe('npm run setup:cloudflare', () => {
  it('creates the missing KV namespace and buckets, prints the id lines, and creates nothing the second time', async () => {
    const first = await cli('setup-cloudflare.ts', ['--env', 'staging'], {}, { kv: [], r2: ['vitrine-assets-staging'] });
    expect(first.code).toBe(0);
    expect(first.calls.map((c) => c.slice(0, 3).join(' '))).toEqual(['kv namespace list', 'kv namespace create', 'r2 bucket list']);
    const id = first.state.kv[0]!.id;
    expect(first.out).toContain(`[[env.staging.kv_namespaces]] binding = "CATALOG_KV"  id = "${id}"`);
    expect(first.out).toContain('R2 vitrine-assets-staging: exists');
    expect(first.out).toContain('wrangler secret put ADMIN_TOKEN --env staging');
    const second = await cli('setup-cloudflare.ts', ['--env', 'staging'], {}, first.state);
    expect(second.code).toBe(0);
    expect(second.calls.filter((c) => c.includes('create'))).toEqual([]);
    expect(second.out).toContain(`KV vitrine-staging-catalog-kv: exists (${id})`);
  });

  it('stops with wrangler’s own message when it is not logged in', async () => {
    const { code, err } = await cli('setup-cloudflare.ts', ['--env', 'production'], { FAKE_WRANGLER_FAIL: 'kv namespace list' });
    expect(code).toBe(1);
    expect(err).toContain('You are not logged in');
  });
});
