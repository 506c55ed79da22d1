import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDevVars, resolveLocalSecrets } from '../../../examples/demo-stack/local-secrets.ts';

const CRM = 'http://127.0.0.1:8788/crm/webhooks';
let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm start secrets', () => {
  it('generates the secrets into .dev.vars (mode 600) once, defaults the webhook URL, and reuses them next time', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vitrine-secrets-'));
    const first = await resolveLocalSecrets(dir, {}, CRM);
    expect(first.sources).toEqual({ ADMIN_TOKEN: 'generated', WEBHOOK_SECRET: 'generated', WEBHOOK_URLS: 'default' });
    expect(first.values.ADMIN_TOKEN.length).toBeGreaterThanOrEqual(32);
    expect(first.values.WEBHOOK_URLS).toBe(CRM);
    expect((await stat(first.file)).mode & 0o777).toBe(0o600);
    const second = await resolveLocalSecrets(dir, {}, CRM);
    expect(second.wrote).toBe(false);
    expect(second.sources.ADMIN_TOKEN).toBe('.dev.vars');
    expect(second.values.ADMIN_TOKEN).toBe(first.values.ADMIN_TOKEN);
    expect(second.values.WEBHOOK_SECRET).toBe(first.values.WEBHOOK_SECRET);
  });

  it('prefers the environment, then .dev.vars, keeping what the file already had', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vitrine-secrets-'));
    await writeFile(join(dir, '.dev.vars'), '# mine\nWEBHOOK_URLS="https://crm.example.com/hook"\nOTHER=1');
    const got = await resolveLocalSecrets(dir, { ADMIN_TOKEN: 'from-the-environment-0123456789' }, CRM);
    expect(got.sources).toEqual({ ADMIN_TOKEN: 'environment', WEBHOOK_SECRET: 'generated', WEBHOOK_URLS: '.dev.vars' });
    expect(got.values.WEBHOOK_URLS).toBe('https://crm.example.com/hook');
    const text = await readFile(got.file, 'utf8');
    expect(text.startsWith('# mine\nWEBHOOK_URLS="https://crm.example.com/hook"\nOTHER=1\nWEBHOOK_SECRET=')).toBe(true);
    expect(text).not.toContain('from-the-environment');
  });

  it('parses dotenv lines: comments, export, quotes, spaces', () => {
    expect(parseDevVars('# c\nexport A=1\nB = \'two words\'\nC="x=y"\n  # D=no\nbad line\n')).toEqual({ A: '1', B: 'two words', C: 'x=y' });
  });
});
