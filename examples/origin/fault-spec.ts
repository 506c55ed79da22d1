/**
 * Fault specs: the little language the example origin's fault injection speaks
 * (`npm run fault -- slow=200`, `PUT /faults { "spec": "slow=200" }`, `origin.setFault('slow=200')`).
 *
 * Grammar (exact, lowercase, no spaces):
 *
 *   spec    = "ok" | "down" | "hang" | "reset" | "reset-mid-body" | "truncate" | "garbage" | "html"
 *           | "bad-schema" | "commit-then-reset" | "commit-then-500"
 *           | "slow=" ms | "drip=" ms | "error=" status | "flap=" seconds
 *   ms      = integer, slow: 0..600000, drip: 1..60000
 *   status  = integer 400..599
 *   seconds = decimal number > 0 and <= 3600, e.g. "2" or "0.5"
 */

/** Every fault the origin can inject, parsed. */
export type FaultSpec =
  | { kind: 'ok' }
  | { kind: 'down' }
  | { kind: 'hang' }
  | { kind: 'slow'; ms: number }
  | { kind: 'drip'; ms: number }
  | { kind: 'error'; status: number }
  | { kind: 'reset' }
  | { kind: 'reset-mid-body' }
  | { kind: 'truncate' }
  | { kind: 'garbage' }
  | { kind: 'html' }
  | { kind: 'bad-schema' }
  | { kind: 'commit-then-reset' }
  | { kind: 'commit-then-500' }
  | { kind: 'flap'; seconds: number };

/** The `kind` of a fault spec. */
export type FaultKind = FaultSpec['kind'];

/** Upper bound of `slow=<ms>`: ten minutes. */
export const MAX_SLOW_MS = 600_000;
/** Upper bound of `drip=<ms>`: one minute between chunks. */
export const MAX_DRIP_MS = 60_000;
/** Upper bound of `flap=<seconds>`: one hour per phase. */
export const MAX_FLAP_SECONDS = 3600;

/** The valid forms, one per line with what each does: used by error messages and `npm run fault -- --help`. */
export const FAULT_SPEC_FORMS: readonly (readonly [form: string, meaning: string])[] = [
  ['ok', 'no fault (on a path: remove that rule; without a path: clear all rules)'],
  ['down', 'connections refused (on "/" at 100%); scoped by path or percent: socket destroyed on arrival, no bytes'],
  ['hang', 'accept the request, never answer; the socket stays open until the client gives up'],
  ['slow=<ms>', 'delay the response headers by <ms> (0..600000), then answer normally'],
  ['drip=<ms>', 'headers at once, then the body one small chunk every <ms> (1..60000)'],
  ['error=<status>', 'answer <status> (400..599) with a problem+json body; Retry-After: 5 on 429/503'],
  ['reset', 'destroy the socket before any header (client sees ECONNRESET / socket error)'],
  ['reset-mid-body', 'send the headers and part of the body, then destroy the socket'],
  ['truncate', 'declare a Content-Length larger than the bytes sent, then close the connection'],
  ['garbage', '200 application/json whose body is not JSON'],
  ['html', '200 text/html error page, like a misconfigured proxy'],
  ['bad-schema', '200 valid JSON that breaks the product schema (missing sku, price as a string)'],
  ['commit-then-reset', 'writes only: store the POST, then destroy the socket (answer lost, row exists)'],
  ['commit-then-500', 'writes only: store the POST, then answer 500 (answer lost, row exists)'],
  ['flap=<seconds>', 'alternate down and ok every <seconds> (> 0, decimals allowed), starting with down'],
];

/** Thrown by {@link parseFaultSpec} on anything that is not a valid spec. */
export class FaultSpecError extends Error {
  /** The rejected spec, verbatim. */
  readonly spec: string;

  constructor(spec: string, reason: string) {
    super(`Invalid fault spec ${JSON.stringify(spec)}: ${reason}. Valid forms: ${FAULT_SPEC_FORMS.map(([form]) => form).join(', ')}`);
    this.name = 'FaultSpecError';
    this.spec = spec;
  }
}

const BARE_KINDS = [
  'ok',
  'down',
  'hang',
  'reset',
  'reset-mid-body',
  'truncate',
  'garbage',
  'html',
  'bad-schema',
  'commit-then-reset',
  'commit-then-500',
] as const;
type BareKind = (typeof BARE_KINDS)[number];

const PARAM_KINDS = ['slow', 'drip', 'error', 'flap'] as const;
type ParamKind = (typeof PARAM_KINDS)[number];

const INTEGER_RE = /^\d{1,9}$/;
const DECIMAL_RE = /^\d{1,9}(?:\.\d{1,6})?$/;

function isBareKind(value: string): value is BareKind {
  return (BARE_KINDS as readonly string[]).includes(value);
}

function isParamKind(value: string): value is ParamKind {
  return (PARAM_KINDS as readonly string[]).includes(value);
}

function integerIn(spec: string, raw: string, what: string, min: number, max: number): number {
  if (!INTEGER_RE.test(raw)) throw new FaultSpecError(spec, `${what} must be a whole number, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new FaultSpecError(spec, `${what} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/**
 * Parses a fault spec strictly (see the grammar at the top of this file).
 *
 * @example
 * parseFaultSpec('slow=200'); // { kind: 'slow', ms: 200 }
 * parseFaultSpec('error=503'); // { kind: 'error', status: 503 }
 * parseFaultSpec('slow'); // throws FaultSpecError: "slow" needs a value: slow=<ms> ...
 * @throws {FaultSpecError} naming the spec and listing the valid forms.
 */
export function parseFaultSpec(spec: string): FaultSpec {
  if (typeof spec !== 'string' || spec.length === 0) throw new FaultSpecError(String(spec), 'empty spec');
  const eq = spec.indexOf('=');
  const name = eq === -1 ? spec : spec.slice(0, eq);
  const raw = eq === -1 ? undefined : spec.slice(eq + 1);

  if (isBareKind(name)) {
    if (raw !== undefined) throw new FaultSpecError(spec, `"${name}" takes no value`);
    return { kind: name };
  }
  if (!isParamKind(name)) throw new FaultSpecError(spec, `unknown fault "${name}"`);
  const form = FAULT_SPEC_FORMS.find(([f]) => f.startsWith(`${name}=`))?.[0] ?? name;
  if (raw === undefined || raw === '') throw new FaultSpecError(spec, `"${name}" needs a value: ${form}`);

  switch (name) {
    case 'slow':
      return { kind: 'slow', ms: integerIn(spec, raw, 'slow=<ms>', 0, MAX_SLOW_MS) };
    case 'drip':
      return { kind: 'drip', ms: integerIn(spec, raw, 'drip=<ms>', 1, MAX_DRIP_MS) };
    case 'error':
      return { kind: 'error', status: integerIn(spec, raw, 'error=<status>', 400, 599) };
    case 'flap': {
      if (!DECIMAL_RE.test(raw))
        throw new FaultSpecError(spec, `flap=<seconds> must be a number such as 2 or 0.5, got ${JSON.stringify(raw)}`);
      const seconds = Number(raw);
      if (seconds <= 0 || seconds > MAX_FLAP_SECONDS) {
        throw new FaultSpecError(spec, `flap=<seconds> must be greater than 0 and at most ${MAX_FLAP_SECONDS}, got ${seconds}`);
      }
      return { kind: 'flap', seconds };
    }
  }
}

/** The canonical text of a parsed spec: `formatFaultSpec(parseFaultSpec(s)) === s` for every valid `s` without leading zeros. */
export function formatFaultSpec(fault: FaultSpec): string {
  switch (fault.kind) {
    case 'slow':
    case 'drip':
      return `${fault.kind}=${fault.ms}`;
    case 'error':
      return `error=${fault.status}`;
    case 'flap':
      return `flap=${fault.seconds}`;
    default:
      return fault.kind;
  }
}

/** Whether a fault only damages writes (`POST`/`PUT`/`PATCH`/`DELETE`) and lets reads through untouched. */
export function isWriteOnlyFault(fault: FaultSpec): boolean {
  return fault.kind === 'commit-then-reset' || fault.kind === 'commit-then-500';
}
