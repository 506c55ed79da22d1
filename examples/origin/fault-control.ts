/**
 * The fault "brain" of the example origin: holds the rules, decides each request's fault,
 * and drives the real listener for connection-level faults.
 *
 * Connection-level faults: `down` (and the down phase of `flap`) set on "/" at 100% close the
 * shopper listener, so clients get ECONNREFUSED; while the root is down nothing gets through,
 * whatever narrower rules say (a refused connection carries no path). Scoped or partial `down`
 * cannot refuse a connection before its path is known: the injector destroys the socket on
 * arrival of the request instead, without sending a byte.
 */
import { type FaultRule, FaultRuleSet, type FaultRuleView, type FaultScope } from './fault-rules.ts';
import { type FaultSpec, parseFaultSpec } from './fault-spec.ts';
import type { ShopperListener } from './shopper-listener.ts';

/** What `GET /faults` answers. */
export interface FaultStatus {
  rules: FaultRuleView[];
  /** Whether the shopper port accepts connections right now (false while `down`/`flap` hold it closed). */
  listening: boolean;
}

/** Rules + listener control; see the module comment. */
export class FaultControl {
  readonly rules: FaultRuleSet;
  readonly #listener: ShopperListener;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  #flapRule: FaultRule | undefined;
  #flapTimer: NodeJS.Timeout | undefined;
  #flapDown = false;
  #pending: Promise<void> = Promise.resolve();

  constructor(listener: ShopperListener, options: { random?: () => number; now?: () => number; onError?: (error: unknown) => void } = {}) {
    this.#listener = listener;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? ((error) => console.error('[origin] listener change failed:', error));
    this.rules = new FaultRuleSet({ now: this.#now });
    this.rules.onChange(() => this.#reconcile());
  }

  /**
   * Parses `spec` and applies it to `scope` (see {@link FaultRuleSet.set}).
   * @throws {FaultSpecError} on a bad spec, {FaultScopeError} on a bad path/percent; nothing changes then.
   */
  setFault(spec: string, scope: FaultScope = {}): FaultSpec {
    const fault = parseFaultSpec(spec);
    this.rules.set(fault, scope);
    return fault;
  }

  /** Removes every rule (the listener reopens if it was down). */
  clearFaults(): void {
    this.rules.clear();
  }

  /** Resolves once the listener matches the current rules (it reopens/closes asynchronously). */
  settled(): Promise<void> {
    return this.#pending;
  }

  /** Active rules and listener state. */
  status(): FaultStatus {
    return { rules: this.rules.view(), listening: this.#listener.listening };
  }

  /**
   * The fault one request gets, `flap` resolved to `down` or `ok` for the current phase.
   * Listener-driven flap uses the listener's phase; scoped flap counts phases from when the rule was set.
   */
  resolve(pathname: string): FaultSpec {
    const { fault, rule } = this.rules.pick(pathname, this.#random);
    if (fault.kind !== 'flap' || rule === undefined) return fault;
    const down = rule === this.#flapRule ? this.#flapDown : Math.floor((this.#now() - rule.since) / (fault.seconds * 1000)) % 2 === 0;
    return down ? { kind: 'down' } : { kind: 'ok' };
  }

  /** Stops the flap timer; call before closing the listener. */
  dispose(): void {
    this.#stopFlap();
  }

  #reconcile(): void {
    const root = this.rules.get('/');
    const rootAlways = root !== undefined && root.percent >= 100;
    if (rootAlways && root.fault.kind === 'flap') {
      if (this.#flapRule !== root) this.#startFlap(root, root.fault.seconds);
    } else {
      this.#stopFlap();
    }
    const available = !(rootAlways && (root.fault.kind === 'down' || (root.fault.kind === 'flap' && this.#flapDown)));
    this.#apply(available);
  }

  #apply(available: boolean): void {
    this.#pending = this.#listener.setAvailable(available).catch((error: unknown) => this.#onError(error));
  }

  #startFlap(rule: FaultRule, seconds: number): void {
    this.#stopFlap();
    this.#flapRule = rule;
    this.#flapDown = true;
    this.#flapTimer = setInterval(() => {
      this.#flapDown = !this.#flapDown;
      this.#apply(!this.#flapDown);
    }, seconds * 1000);
  }

  #stopFlap(): void {
    if (this.#flapTimer !== undefined) clearInterval(this.#flapTimer);
    this.#flapTimer = undefined;
    this.#flapRule = undefined;
    this.#flapDown = false;
  }
}
