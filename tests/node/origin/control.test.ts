import { execFile } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXIT, parseFaultArgs } from '../../../examples/origin/fault-command.ts';
import type { OriginHandle } from '../../../examples/origin/start-origin.ts';
import { probeConnect, startTestOrigin, useTestOrigin } from './origin-harness.ts';

const PROJECT_ROOT = new URL('../../../', import.meta.url).pathname;

const testOrigin = useTestOrigin();
let origin: OriginHandle;
beforeEach(() => {
  origin = testOrigin();
});

function putFault(body: unknown): Promise<Response> {
  return fetch(`${origin.controlUrl}/faults`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('control endpoint', () => {
  it('listens on its own port and shows the active rules', async () => {
    expect(origin.controlPort).not.toBe(origin.port);
    expect(await (await fetch(`${origin.controlUrl}/faults`)).json()).toEqual({ rules: [], listening: true });
    const res = await putFault({ spec: 'slow=200', path: '/api', percent: 50 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ rules: [{ fault: 'slow=200', path: '/api', percent: 50 }], listening: true });
    await putFault({ spec: 'error=503' });
    expect(await (await fetch(`${origin.controlUrl}/faults`)).json()).toEqual({
      rules: [
        { fault: 'slow=200', path: '/api', percent: 50 },
        { fault: 'error=503', path: '/', percent: 100 },
      ],
      listening: true,
    });
    const cleared = await fetch(`${origin.controlUrl}/faults`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ rules: [], listening: true });
  });

  it.each([
    [{ spec: 'slow' }, /Invalid fault spec "slow".*Valid forms/],
    [{ spec: 'explode' }, /unknown fault "explode"/],
    [{ spec: 'hang', percent: 150 }, /percent must be/],
    [{ spec: 'hang', path: 'api' }, /path must start with/],
    [{ spec: 42 }, /"spec" must be a string/],
    [{ spec: 'hang', extra: true }, /unknown field/],
    [[1], /JSON object/],
  ])('answers 400 problem+json with the reason for %j', async (body, detail) => {
    const res = await putFault(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
    expect(origin.faults().rules).toEqual([]);
  });

  it('is never faulted, even while the shopper port is down', async () => {
    expect((await putFault({ spec: 'down' })).status).toBe(200);
    expect(await probeConnect(origin.port)).toBe('ECONNREFUSED');
    expect(await (await fetch(`${origin.controlUrl}/faults`)).json()).toEqual({
      rules: [{ fault: 'down', path: '/', percent: 100 }],
      listening: false,
    });
    expect((await fetch(`${origin.controlUrl}/faults`, { method: 'DELETE' })).status).toBe(200);
    expect(await probeConnect(origin.port)).toBe('connected');
  });

  it('serves and resets the request stats', async () => {
    await fetch(`${origin.controlUrl}/stats/reset`, { method: 'POST' });
    await fetch(`${origin.url}/healthz`);
    await fetch(`${origin.url}/healthz`);
    await fetch(`${origin.url}/api/products/TST-003`);
    expect(await (await fetch(`${origin.controlUrl}/stats`)).json()).toEqual({
      requests: 3,
      byPath: { '/healthz': 2, '/api/products/TST-003': 1 },
    });
    const reset = await fetch(`${origin.controlUrl}/stats/reset`, { method: 'POST' });
    expect(await reset.json()).toEqual({ requests: 0, byPath: {} });
  });
});

/** An origin on a free port whose control port is the default, port + 1 (retried if that one is taken). */
async function startPairedOrigin(): Promise<OriginHandle> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const port = await freePort();
    try {
      return await startTestOrigin({ port, controlPort: undefined });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'examples/origin/fault-cli.ts', ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, ORIGIN_PORT: '', ORIGIN_CONTROL_PORT: '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('fault CLI (npx tsx examples/origin/fault-cli.ts)', () => {
  it('sets a fault, shows the status, and clears', async () => {
    const env = { ORIGIN_CONTROL_PORT: String(origin.controlPort) };
    const set = await runCli(['error=503', '--path', '/api', '--percent', '25'], env);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('Set error=503 on /api at 25%.');
    expect(set.stdout).toMatch(/\/api\s+error=503\s+25%/);
    expect(origin.faults().rules).toEqual([{ fault: 'error=503', path: '/api', percent: 25 }]);

    await fetch(`${origin.url}/healthz`);
    const status = await runCli(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Shopper port: listening.');
    expect(status.stdout).toMatch(/\/api\s+error=503\s+25%/);
    expect(status.stdout).toMatch(/Requests that reached the shopper port: \d+/);

    const cleared = await runCli(['ok'], env);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toContain('No faults active');
    expect(origin.faults().rules).toEqual([]);
  }, 30_000);

  it('finds the control port from ORIGIN_PORT + 1 when ORIGIN_CONTROL_PORT is unset', async () => {
    const paired = await startPairedOrigin();
    try {
      expect(paired.controlPort).toBe(paired.port + 1);
      const run = await runCli(['hang', '--path=/pim'], { ORIGIN_PORT: String(paired.port) });
      expect(run.code).toBe(0);
      expect(paired.faults().rules).toEqual([{ fault: 'hang', path: '/pim', percent: 100 }]);
    } finally {
      await paired.close();
    }
  }, 30_000);

  it('rejects a bad spec with a clear message and exit code 2, without needing the origin', async () => {
    const run = await runCli(['slow=fast'], { ORIGIN_CONTROL_PORT: '1' });
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(/Invalid fault spec "slow=fast"/);
    expect(run.stderr).toContain('Valid forms');
  }, 30_000);

  it('says the origin is not running (exit 1) when the control port is closed', async () => {
    const own = await startTestOrigin();
    const port = own.controlPort;
    await own.close();
    const run = await runCli(['down'], { ORIGIN_CONTROL_PORT: String(port) });
    expect(run.code).toBe(EXIT.unreachable);
    expect(run.stderr).toMatch(/cannot reach the origin control endpoint at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(run.stderr).toContain('npm run origin');
  }, 30_000);

  it('prints help', async () => {
    const run = await runCli(['--help'], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('npm run fault -- <spec> [--path <prefix>] [--percent <n>]');
    expect(run.stdout).toContain('reset-mid-body');
    expect(run.stdout).toMatch(/socket is destroyed when the request arrives/);
    expect(run.stdout).toContain('http://127.0.0.1:8789');
  }, 30_000);
});

describe('parseFaultArgs', () => {
  it.each([
    [['slow=200'], { action: 'set', spec: 'slow=200' }],
    [['slow=200', '--path', '/api', '--percent', '12.5'], { action: 'set', spec: 'slow=200', path: '/api', percent: 12.5 }],
    [['--percent=5', 'down', '--path=/api'], { action: 'set', spec: 'down', path: '/api', percent: 5 }],
    [['ok'], { action: 'set', spec: 'ok' }],
    [['status'], { action: 'status' }],
    [['-h'], { action: 'help' }],
  ])('parses %j', (argv, expected) => {
    expect(parseFaultArgs(argv)).toEqual(expected);
  });

  it.each([
    [[], /missing <spec>/],
    [['slow=1', 'hang'], /one spec at a time/],
    [['hang', '--path'], /--path needs a value/],
    [['hang', '--percent', 'lots'], /--percent must be a number/],
    [['hang', '--percent', '120'], /between 0 and 100/],
    [['hang', '--path', 'api'], /must start with/],
    [['hang', '--verbose'], /unknown option --verbose/],
    [['status', '--path', '/x'], /status takes no/],
    [['nope'], /unknown fault "nope"/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseFaultArgs(argv)).toThrow(message);
  });
});
