import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { rawRequest, waitUntil } from './origin-harness.ts';

const PROJECT_ROOT = new URL('../../../', import.meta.url).pathname;

/** Starts `examples/origin/main.ts` (what `npm run origin` runs) on ports 0 and reads its URLs from stdout. */
async function startMain(): Promise<{ child: ChildProcess; url: string; controlUrl: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/origin/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ORIGIN_PORT: '0', ORIGIN_CONTROL_PORT: '0', ORIGIN_DB: ':memory:' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitUntil(() => /Control:\s+http:\/\/127\.0\.0\.1:\d+/.test(output) || child.exitCode !== null, 20_000);
  const url = /Shopper:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  const controlUrl = /Control:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  if (url === undefined || controlUrl === undefined) throw new Error(`origin did not start:\n${output}`);
  return { child, url, controlUrl, output: () => output };
}

describe('npm run origin (examples/origin/main.ts)', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'serves, then closes cleanly on %s even with a hung request',
    async (signal) => {
      const { child, url, controlUrl, output } = await startMain();
      try {
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
        const put = await fetch(`${controlUrl}/faults`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ spec: 'hang' }),
        });
        expect(put.status).toBe(200);
        const hung = rawRequest(`${url}/healthz`, { timeoutMs: 15_000 });
        await new Promise((r) => setTimeout(r, 100));
        const exited = once(child, 'exit');
        child.kill(signal);
        const [code] = (await exited) as [number | null];
        expect(code).toBe(0);
        expect(output()).toContain(`${signal}: closing the origin`);
        expect((await hung).timedOut).toBe(false);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
    30_000,
  );
});
