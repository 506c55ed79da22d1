/**
 * The drill's fault scenarios: what breaks, where, and which of the edge's
 * channels should notice. Origin faults are scoped to the commerce platform's
 * paths (`/api`, `/healthz`, `/pim`) so the primary asset CDN, which the example
 * origin also stands in for under `/cdn`, stays up; `asset-cdn-down` breaks
 * `/cdn` alone. `all` plays every scenario in turn, with recovery in between;
 * `origin-garbage` goes last, since a cache that kept garbage (nginx does)
 * would otherwise spoil the scenarios after it.
 */

/** One fault rule on the example origin (`PUT /faults`). */
export interface FaultRuleSpec {
  spec: string;
  path: string;
}

export interface Scenario {
  name: ScenarioName;
  /** The rules set when the fault starts (cleared, path by path, at recovery). */
  rules: FaultRuleSpec[];
  /** Which of the edge's states flips: the showroom's mode (origin) or asset delivery (primary CDN → R2). */
  channel: 'origin' | 'asset-cdn';
  what: string;
}

const ORIGIN_PATHS = ['/api', '/healthz', '/pim'] as const;
const onOrigin = (spec: string): FaultRuleSpec[] => ORIGIN_PATHS.map((path) => ({ spec, path }));

/** The slow origin answers later than the showroom's deadline (800 ms by default), but does answer. */
export const SLOW_ORIGIN_MS = 1_500;

export const SCENARIOS = {
  'origin-down': { rules: onOrigin('down'), channel: 'origin', what: 'connections to the origin fail at once' },
  'origin-hang': { rules: onOrigin('hang'), channel: 'origin', what: 'the origin accepts requests and never answers' },
  'origin-slow': {
    rules: onOrigin(`slow=${SLOW_ORIGIN_MS}`),
    channel: 'origin',
    what: `the origin answers after ${SLOW_ORIGIN_MS} ms (writes it stores late)`,
  },
  'origin-flap': { rules: onOrigin('flap=1'), channel: 'origin', what: 'the origin alternates down and up every second' },
  'asset-cdn-down': { rules: [{ spec: 'down', path: '/cdn' }], channel: 'asset-cdn', what: 'the primary asset CDN refuses every request' },
  'origin-garbage': { rules: onOrigin('garbage'), channel: 'origin', what: 'the origin answers 200 with bodies that are not JSON' },
} as const satisfies Record<string, Omit<Scenario, 'name'>>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];
/** What `--scenario` accepts. */
export const SCENARIO_CHOICES = [...SCENARIO_NAMES, 'all'] as const;

/** The scenarios `--scenario <choice>` plays, in order. */
export function scenariosFor(choice: string): Scenario[] {
  const names = choice === 'all' ? SCENARIO_NAMES : SCENARIO_NAMES.filter((n) => n === choice);
  if (names.length === 0) throw new Error(`unknown scenario ${JSON.stringify(choice)}; choose one of: ${SCENARIO_CHOICES.join(', ')}`);
  return names.map((name) => ({ name, ...SCENARIOS[name], rules: [...SCENARIOS[name].rules] }));
}
