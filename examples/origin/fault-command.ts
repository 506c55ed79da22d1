/**
 * `npm run fault -- ...`: set, clear and show the example origin's faults through its control endpoint.
 * The script itself is fault-cli.ts; this module holds the logic so it can be reused.
 */
import { ControlClient, ControlRequestError, ControlUnreachableError, controlPortFromEnv } from './control-client.ts';
import type { FaultStatus } from './fault-control.ts';
import { normalizePercent, normalizeRulePath } from './fault-rules.ts';
import { FAULT_SPEC_FORMS, FaultSpecError, parseFaultSpec } from './fault-spec.ts';
import type { RequestStatsSnapshot } from './request-stats.ts';

/** Exit codes of the fault CLI. */
export const EXIT = { ok: 0, unreachable: 1, usage: 2 } as const;

/** Where the CLI writes. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The parsed command line. */
export type FaultCommand = { action: 'help' } | { action: 'status' } | { action: 'set'; spec: string; path?: string; percent?: number };

/** The `--help` text. */
export function faultCliHelp(controlPort: number | string): string {
  const width = Math.max(...FAULT_SPEC_FORMS.map(([form]) => form.length));
  return [
    'Usage:',
    '  npm run fault -- <spec> [--path <prefix>] [--percent <n>]   set a fault (replaces the rule of that prefix)',
    '  npm run fault -- ok [--path <prefix>]                       clear one prefix, or every fault without --path',
    '  npm run fault -- status                                     show active faults and request counts',
    '  npm run fault -- --help',
    '',
    'Specs:',
    ...FAULT_SPEC_FORMS.map(([form, meaning]) => `  ${form.padEnd(width)}  ${meaning}`),
    '',
    'Options:',
    '  --path <prefix>   apply to this path prefix only, per segment: /api covers /api/... not /apix (default /)',
    '  --percent <n>     apply to n% of matching requests, 0..100 (default 100)',
    '',
    'Notes:',
    '  A request gets the rule with the longest matching prefix.',
    '  down (and flap) on / at 100% really closes the listener: clients get ECONNREFUSED, and nothing gets',
    '  through whatever narrower rules say. Scoped or partial down cannot refuse a connection before the path',
    '  is known: the socket is destroyed when the request arrives, without a byte sent.',
    '  error, garbage, html and the socket faults never reach the handler (a POST is not stored); drip, truncate,',
    '  reset-mid-body, bad-schema and commit-then-* run it first (a POST is stored).',
    '',
    `Control endpoint: http://127.0.0.1:${controlPort} (ORIGIN_CONTROL_PORT, else ORIGIN_PORT + 1, else 8789).`,
  ].join('\n');
}

/** Thrown on a malformed command line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Parses the arguments after `npm run fault --`.
 * @throws {UsageError} on unknown options, missing values or extra arguments; {FaultSpecError} on a bad spec.
 */
export function parseFaultArgs(argv: readonly string[]): FaultCommand {
  const positional: string[] = [];
  let path: string | undefined;
  let percent: number | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { action: 'help' };
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (name === '--path' || name === '--percent') {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      if (name === '--path') {
        path = value;
      } else {
        if (!/^\d+(?:\.\d+)?$/.test(value))
          throw new UsageError(`--percent must be a number between 0 and 100, got ${JSON.stringify(value)}`);
        percent = Number(value);
      }
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length === 0) throw new UsageError('missing <spec> (or "status", "ok")');
  if (positional.length > 1) throw new UsageError(`one spec at a time, got ${positional.map((p) => JSON.stringify(p)).join(' ')}`);
  const [spec] = positional as [string];
  if (spec === 'status') {
    if (path !== undefined || percent !== undefined) throw new UsageError('status takes no --path/--percent');
    return { action: 'status' };
  }
  parseFaultSpec(spec);
  try {
    if (path !== undefined) normalizeRulePath(path);
    normalizePercent(percent);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return { action: 'set', spec, ...(path === undefined ? {} : { path }), ...(percent === undefined ? {} : { percent }) };
}

/** Human-readable active faults. */
export function formatFaultStatus(status: FaultStatus): string {
  const lines = [status.listening ? 'Shopper port: listening.' : 'Shopper port: NOT listening (connections refused).'];
  if (status.rules.length === 0) {
    lines.push('No faults active: the origin answers normally.');
    return lines.join('\n');
  }
  const pathWidth = Math.max(4, ...status.rules.map((r) => r.path.length));
  const faultWidth = Math.max(5, ...status.rules.map((r) => r.fault.length));
  lines.push('Active faults (longest prefix wins):');
  lines.push(`  ${'PATH'.padEnd(pathWidth)}  ${'FAULT'.padEnd(faultWidth)}  PERCENT`);
  for (const rule of status.rules) lines.push(`  ${rule.path.padEnd(pathWidth)}  ${rule.fault.padEnd(faultWidth)}  ${rule.percent}%`);
  return lines.join('\n');
}

/** Human-readable request counters, busiest paths first. */
export function formatStats(stats: RequestStatsSnapshot, top = 10): string {
  const entries = Object.entries(stats.byPath).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const lines = [`Requests that reached the shopper port: ${stats.requests}`];
  for (const [path, count] of entries.slice(0, top)) lines.push(`  ${String(count).padStart(6)}  ${path}`);
  if (entries.length > top) lines.push(`  ... and ${entries.length - top} more paths`);
  return lines.join('\n');
}

/** Runs the CLI; resolves with the exit code. */
export async function runFaultCli(argv: readonly string[], env: Record<string, string | undefined>, io: CliOutput): Promise<number> {
  let controlPort: number;
  try {
    controlPort = controlPortFromEnv(env);
  } catch (error) {
    io.err(`fault: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.usage;
  }

  let command: FaultCommand;
  try {
    command = parseFaultArgs(argv);
  } catch (error) {
    if (error instanceof UsageError || error instanceof FaultSpecError) {
      io.err(`fault: ${error.message}`);
      io.err('Run "npm run fault -- --help" for the valid forms.');
      return EXIT.usage;
    }
    throw error;
  }
  if (command.action === 'help') {
    io.out(faultCliHelp(controlPort));
    return EXIT.ok;
  }

  const client = ControlClient.fromEnv(env);
  try {
    if (command.action === 'status') {
      const [faults, stats] = [await client.getFaults(), await client.getStats()];
      io.out(`Origin control endpoint: ${client.baseUrl}`);
      io.out(formatFaultStatus(faults));
      io.out(formatStats(stats));
      return EXIT.ok;
    }
    const scope = {
      ...(command.path === undefined ? {} : { path: command.path }),
      ...(command.percent === undefined ? {} : { percent: command.percent }),
    };
    const status =
      command.spec === 'ok' && command.path === undefined ? await client.clearFaults() : await client.setFault(command.spec, scope);
    io.out(describeChange(command));
    io.out(formatFaultStatus(status));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ControlUnreachableError) {
      io.err(`fault: ${error.message}.`);
      io.err('Is the origin running? Start it with "npm run origin" (or "npm start"), or set ORIGIN_CONTROL_PORT / ORIGIN_PORT.');
      return EXIT.unreachable;
    }
    if (error instanceof ControlRequestError) {
      io.err(`fault: the origin refused the change (${error.status}): ${error.message}`);
      return error.status === 400 ? EXIT.usage : EXIT.unreachable;
    }
    throw error;
  }
}

function describeChange(command: Extract<FaultCommand, { action: 'set' }>): string {
  const where = `${command.path ?? '/'}${command.percent === undefined || command.percent === 100 ? '' : ` at ${command.percent}%`}`;
  if (command.spec === 'ok') return command.path === undefined ? 'Cleared every fault.' : `Cleared the fault on ${command.path}.`;
  return `Set ${command.spec} on ${where}.`;
}
