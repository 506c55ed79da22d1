/**
 * `npm run ops` as a process against a real HTTP server on loopback that plays the ops API
 * (checks the bearer token, records what it was asked).
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../../../static-fallback/cli/ops-cli.ts';
import { PROJECT_ROOT } from '../../../static-fallback/local-state.ts';

const TOKEN = 'ops-cli-test-token-0123456789';
const seen: { method: string; url: string; body: string }[] = [];
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': status < 300 ? 'application/json' : 'application/problem+json' });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { status: 401, detail: 'a valid admin token is required' });
      if (req.url === '/ops/templates/email') return json(422, { status: 422, detail: 'cannot fill first_name', missing: ['first_name'] });
      json(200, {
        mode: 'degraded',
        since: '2026-11-22T15:30:00.000Z',
        override: { mode: 'degraded', reason: 'origin migration', expiresAt: '2026-11-22T16:15:00.000Z' },
        incident: { id: 'inc-1', channels: ['origin'], nextUpdateAt: 'x', updates: [{ at: 't', by: 'ops', message: 'Back soon.' }] },
        components: { origin: { state: 'down', detail: 'not answering' } },
        outbox: { pending: 3, deadLetter: 0, delivered: 9 },
        webhooks: [{ url: 'https://crm.example/hook', delivered: 2, pending: 0, deadLetter: 0, lastError: null }],
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function ops(args: string[], env: Record<string, string> = { ADMIN_TOKEN: TOKEN }): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'static-fallback/cli/ops-cli.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH!, VITRINE_URL: url, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

describe('npm run ops', () => {
  it('prints the state readably: mode, override reason, incident update, components, webhooks', async () => {
    const { code, out } = await ops(['state']);
    expect(code).toBe(0);
    for (const text of ['degraded', 'origin migration', 'Back soon.', 'not answering', 'https://crm.example/hook', '3 pending'])
      expect(out).toContain(text);
    expect(out).not.toContain(TOKEN);
  });

  it('forces a mode with the reason and the expiry in seconds; refuses one without a reason before any request', async () => {
    seen.length = 0;
    expect((await ops(['mode', 'degraded', '--reason', 'drill', '--expires', '30m'])).code).toBe(0);
    expect(seen.map((s) => [s.method, s.url, JSON.parse(s.body)])).toEqual([
      ['POST', '/ops/mode', { mode: 'degraded', reason: 'drill', expiresInSeconds: 1800 }],
    ]);
    seen.length = 0;
    const bad = await ops(['mode', 'degraded']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--reason');
    expect(seen).toEqual([]);
  });

  it('says what the server refused (exit 1): a wrong token, a template with missing placeholders; and an unreachable URL', async () => {
    const denied = await ops(['state'], { ADMIN_TOKEN: 'wrong-token-0123456789' });
    expect(denied.code).toBe(1);
    expect(denied.err).toContain('HTTP 401: a valid admin token is required');
    const template = await ops(['template', 'email']);
    expect(template.code).toBe(1);
    expect(template.err).toContain('missing: first_name');
    const closed = await ops(['state', '--url', 'http://127.0.0.1:9']);
    expect(closed.code).toBe(1);
    expect(closed.err).toContain('cannot reach http://127.0.0.1:9');
  });

  it('reads durations', () => {
    expect([parseDuration('90'), parseDuration('90s'), parseDuration('30m'), parseDuration('2h'), parseDuration('1h30m')]).toEqual([
      90, 90, 1800, 7200, 5400,
    ]);
    expect(() => parseDuration('soon')).toThrow(/--expires "soon"/);
  });
});
