/**
 * A small client for the example origin's control endpoint: what `npm run fault` uses, and what
 * failover drills can use to flip faults from another process.
 */
import type { FaultStatus } from './fault-control.ts';
import type { FaultScope } from './fault-rules.ts';
import { DEFAULT_ORIGIN_PORT, ORIGIN_HOST } from './origin-paths.ts';
import type { RequestStatsSnapshot } from './request-stats.ts';

/** The control endpoint could not be reached (origin not running, wrong port). */
export class ControlUnreachableError extends Error {
  readonly url: string;

  constructor(url: string, cause: unknown) {
    const code = errorCode(cause);
    super(`cannot reach the origin control endpoint at ${url}${code === undefined ? '' : ` (${code})`}`, { cause });
    this.name = 'ControlUnreachableError';
    this.url = url;
  }
}

/** The control endpoint answered an error (e.g. 400 for a bad spec); `message` is its `detail`. */
export class ControlRequestError extends Error {
  readonly status: number;

  constructor(status: number, detail: string) {
    super(detail);
    this.name = 'ControlRequestError';
    this.status = status;
  }
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

function parsePort(value: string, name: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    throw new Error(`${name} must be a port number (1..65535), got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * The control port from the environment: ORIGIN_CONTROL_PORT, else ORIGIN_PORT + 1, else 8789.
 * @throws on a malformed port value.
 */
export function controlPortFromEnv(env: Record<string, string | undefined>): number {
  const control = env.ORIGIN_CONTROL_PORT;
  if (control !== undefined && control !== '') return parsePort(control, 'ORIGIN_CONTROL_PORT');
  const shopper = env.ORIGIN_PORT;
  if (shopper !== undefined && shopper !== '') return parsePort(shopper, 'ORIGIN_PORT') + 1;
  return DEFAULT_ORIGIN_PORT + 1;
}

/** Talks to one control endpoint. */
export class ControlClient {
  readonly baseUrl: string;
  readonly #timeoutMs: number;

  /** `baseUrl` like `http://127.0.0.1:8789`. */
  constructor(baseUrl: string, options: { timeoutMs?: number } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /** A client for the control port of {@link controlPortFromEnv}. */
  static fromEnv(env: Record<string, string | undefined>): ControlClient {
    return new ControlClient(`http://${ORIGIN_HOST}:${controlPortFromEnv(env)}`);
  }

  /** Active rules and listener state. */
  getFaults(): Promise<FaultStatus> {
    return this.#request<FaultStatus>('GET', '/faults');
  }

  /** Applies a spec; resolves with the rules now active. */
  setFault(spec: string, scope: FaultScope = {}): Promise<FaultStatus> {
    return this.#request<FaultStatus>('PUT', '/faults', { spec, ...scope });
  }

  /** Removes every rule. */
  clearFaults(): Promise<FaultStatus> {
    return this.#request<FaultStatus>('DELETE', '/faults');
  }

  /** Request counters of the shopper port. */
  getStats(): Promise<RequestStatsSnapshot> {
    return this.#request<RequestStatsSnapshot>('GET', '/stats');
  }

  /** Zeroes the counters. */
  resetStats(): Promise<RequestStatsSnapshot> {
    return this.#request<RequestStatsSnapshot>('POST', '/stats/reset');
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        signal: AbortSignal.timeout(this.#timeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
      });
    } catch (error) {
      throw new ControlUnreachableError(this.baseUrl, error);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ControlRequestError(response.status, `the control endpoint answered ${response.status} with a non-JSON body`);
    }
    if (!response.ok) {
      const detail =
        typeof json === 'object' && json !== null && 'detail' in json && typeof json.detail === 'string' ? json.detail : text.slice(0, 500);
      throw new ControlRequestError(response.status, detail);
    }
    return json as T;
  }
}
