/**
 * The active fault rules of the example origin: which fault applies to which path prefix, how often.
 *
 * Pure bookkeeping, no I/O: the injector asks {@link FaultRuleSet.pick} per request and the
 * listener controller watches the root rule (see fault-control.ts).
 */
import { type FaultSpec, formatFaultSpec } from './fault-spec.ts';

/** One active rule. */
export interface FaultRule {
  fault: FaultSpec;
  /** Path prefix, matched per segment: `/api` covers `/api` and `/api/...`, not `/apix`. Normalized: no trailing slash except `/`. */
  path: string;
  /** Share of matching requests that get the fault, 0..100. */
  percent: number;
  /** When the rule was set (ms since epoch): the phase origin of `flap`. */
  since: number;
}

/** A rule as the control endpoint shows it. */
export interface FaultRuleView {
  fault: string;
  path: string;
  percent: number;
}

/** Where and how often a fault applies. */
export interface FaultScope {
  /** Path prefix; default `/`. */
  path?: string;
  /** 0..100; default 100. */
  percent?: number;
}

/** Thrown on a bad `path` or `percent`. */
export class FaultScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultScopeError';
  }
}

/**
 * Validates and normalizes a rule path prefix.
 * @throws {FaultScopeError} when it does not start with `/` or holds a query, fragment or whitespace.
 */
export function normalizeRulePath(path: string | undefined): string {
  if (path === undefined) return '/';
  if (typeof path !== 'string' || !path.startsWith('/')) throw new FaultScopeError(`path must start with "/", got ${JSON.stringify(path)}`);
  if (/[?#\s]/.test(path))
    throw new FaultScopeError(`path must be a plain path prefix (no query, fragment or spaces), got ${JSON.stringify(path)}`);
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/**
 * Validates a percentage.
 * @throws {FaultScopeError} unless it is a finite number in 0..100.
 */
export function normalizePercent(percent: number | undefined): number {
  if (percent === undefined) return 100;
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new FaultScopeError(`percent must be a number between 0 and 100, got ${JSON.stringify(percent)}`);
  }
  return percent;
}

/** Whether `pathname` lies under the rule prefix `prefix` (segment-wise). */
export function pathMatches(prefix: string, pathname: string): boolean {
  if (prefix === '/') return true;
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** The set of active rules, at most one per prefix. */
export class FaultRuleSet {
  readonly #rules = new Map<string, FaultRule>();
  readonly #listeners = new Set<() => void>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /**
   * Sets `fault` on a prefix, replacing any rule already there. `ok` removes the rule of that prefix,
   * or every rule when no path is given.
   * @throws {FaultScopeError} on a bad path or percent.
   */
  set(fault: FaultSpec, scope: FaultScope = {}): void {
    const path = normalizeRulePath(scope.path);
    const percent = normalizePercent(scope.percent);
    if (fault.kind === 'ok') {
      if (scope.path === undefined) this.#rules.clear();
      else this.#rules.delete(path);
    } else {
      this.#rules.set(path, { fault, path, percent, since: this.#now() });
    }
    this.#changed();
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules.clear();
    this.#changed();
  }

  /** The rule set on exactly this prefix, if any. */
  get(path: string): FaultRule | undefined {
    return this.#rules.get(normalizeRulePath(path));
  }

  /** Active rules, longest prefix first. */
  list(): FaultRule[] {
    return [...this.#rules.values()].sort((a, b) => b.path.length - a.path.length || a.path.localeCompare(b.path));
  }

  /** Active rules as the control endpoint shows them. */
  view(): FaultRuleView[] {
    return this.list().map((rule) => ({ fault: formatFaultSpec(rule.fault), path: rule.path, percent: rule.percent }));
  }

  /** The rule with the longest prefix covering `pathname`, whether or not its percentage fires. */
  match(pathname: string): FaultRule | undefined {
    let best: FaultRule | undefined;
    for (const rule of this.#rules.values()) {
      if (pathMatches(rule.path, pathname) && (best === undefined || rule.path.length > best.path.length)) best = rule;
    }
    return best;
  }

  /**
   * The fault a request to `pathname` gets: the longest matching rule, if `random()` lands inside its
   * percentage; `ok` otherwise. Time-based faults (`flap`) are resolved by the injector.
   */
  pick(pathname: string, random: () => number = Math.random): { fault: FaultSpec; rule: FaultRule | undefined } {
    const rule = this.match(pathname);
    if (rule === undefined || rule.percent <= 0) return { fault: { kind: 'ok' }, rule };
    if (rule.percent >= 100 || random() * 100 < rule.percent) return { fault: rule.fault, rule };
    return { fault: { kind: 'ok' }, rule };
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
