/**
 * The short failover drill, as ops run it (`npm run drill`, a process of its
 * own): every scenario with 3-second faults against the real stack, then the
 * same against the nginx baseline (Debian's nginx, which .ci/run installs). It
 * fails on any shopper-visible failure and any lost or duplicated write;
 * timing figures (flip, recovery, p99) are printed, not asserted.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../static-fallback/local-state.ts';
import type { DrillReport } from '../drill/drill-report.ts';
import { NGINX_BIN } from '../drill/nginx-baseline.ts';
import { SCENARIO_NAMES } from '../drill/scenarios.ts';
import { requireInstalled } from '../support/required-tools.ts';

let out: string | undefined;
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

function runDrill(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/drill/drill-cli.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run drill, short', () => {
  it('every scenario: 0 shopper-visible failures, 0 lost and 0 duplicated writes; report.json and report.html written', async () => {
    requireInstalled(NGINX_BIN, 'nginx');
    out = await mkdtemp(join(tmpdir(), 'vitrine-drill-'));
    const { code, stdout, stderr } = await runDrill(['--scenario', 'all', '--duration', '3', '--out', out]);
    console.log(stdout);
    // 0: every target met; 1: a target missed (timing ones are printed here, not asserted). Anything else is a crash.
    expect(
      [0, 1],
      stderr
        .split('\n')
        .filter((l) => !l.startsWith('['))
        .slice(-20)
        .join('\n'),
    ).toContain(code);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as DrillReport;
    expect(report.scenarios.map((s) => s.name)).toEqual(SCENARIO_NAMES);
    const shopperFacing = report.scenarios.map((s) => ({
      name: s.name,
      failures: s.failures,
      examples: s.failureExamples,
      lost: s.writes.lost,
      duplicated: s.writes.duplicated,
    }));
    expect(shopperFacing).toEqual(SCENARIO_NAMES.map((name) => ({ name, failures: 0, examples: [], lost: 0, duplicated: 0 })));
    expect(report.pendingAtEnd).toBe(0);
    for (const s of report.scenarios) {
      expect(s.requests, s.name).toBeGreaterThan(50);
      // A write is either acknowledged, or was still in flight when the load stopped (a resend meanwhile got 409).
      const unexplained = Object.keys(s.writes.unackedAnswers).filter((k) => k !== 'none' && k !== '409');
      expect(unexplained, `${s.name}: ${JSON.stringify(s.writes.unackedAnswers)}`).toEqual([]);
      expect(s.writes.sent, s.name).toBeGreaterThan(5);
    }
    expect(report.baseline?.scenarios.map((s) => s.name)).toEqual(SCENARIO_NAMES);
    // nginx cannot keep a write while the origin is down: the same timeline costs it shoppers.
    expect(report.baseline!.scenarios.find((s) => s.name === 'origin-down')!.failures).toBeGreaterThan(0);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
  }, 240_000);
});
