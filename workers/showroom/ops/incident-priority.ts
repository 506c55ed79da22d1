/**
 * `outage_priority` of incident webhooks, from rules a CRM workflow can act on:
 * "origin down during business hours is high". The first rule that matches
 * the channel, weekday and hour (in the rules' time zone) wins; no match is low.
 *
 * @example
 * const rules = parsePriorityRules('{"timeZone":"Europe/Berlin","rules":[{"channel":"origin","days":"mon-fri","hours":"09-18","priority":"high"}]}');
 * priorityFor('origin', new Date('2026-11-23T10:00:00Z'), rules); // 'high'
 */
export type OutageChannel = 'origin' | 'asset-cdn' | 'auth' | 'third-party';
export type OutagePriority = 'high' | 'medium' | 'low';

export interface PriorityRule {
  channel?: OutageChannel | OutageChannel[];
  /** `mon-fri`, `sat,sun`, `mon`: weekdays in the rules' time zone. */
  days?: string;
  /** `09-18` (start inclusive, end exclusive, 00–24), or wrapping past midnight: `22-06`. */
  hours?: string;
  priority: OutagePriority;
}

export interface PriorityRules {
  timeZone: string;
  rules: PriorityRule[];
}

export const OUTAGE_CHANNELS: readonly OutageChannel[] = ['origin', 'asset-cdn', 'auth', 'third-party'];
const PRIORITIES: readonly OutagePriority[] = ['high', 'medium', 'low'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export const PRIORITY_RULES_DEFAULTS: PriorityRules = {
  timeZone: 'UTC',
  rules: [
    { channel: 'origin', days: 'mon-fri', hours: '09-18', priority: 'high' },
    { channel: 'origin', priority: 'medium' },
    { channel: 'auth', priority: 'high' },
    { channel: 'asset-cdn', days: 'mon-fri', hours: '09-18', priority: 'medium' },
  ],
};

/** Parses WEBHOOK_PRIORITY_RULES (JSON `{ "timeZone"?, "rules": [...] }`); empty → the defaults. */
export function parsePriorityRules(json: string | undefined): PriorityRules {
  if (!json?.trim()) return PRIORITY_RULES_DEFAULTS;
  const fail = (what: string): never => {
    throw new Error(`WEBHOOK_PRIORITY_RULES: ${what}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    fail('not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must be an object { "timeZone"?, "rules": [...] }');
  const { timeZone = 'UTC', rules } = value as { timeZone?: unknown; rules?: unknown };
  if (typeof timeZone !== 'string' || !validTimeZone(timeZone)) fail(`timeZone ${JSON.stringify(timeZone)} is not a known time zone`);
  if (!Array.isArray(rules) || rules.length === 0) return fail('rules must be a non-empty array');
  const parsed = rules.map((rule: unknown, i): PriorityRule => {
    const at = `rules[${i}]`;
    if (typeof rule !== 'object' || rule === null) return fail(`${at} must be an object`);
    const { channel, days, hours, priority, ...rest } = rule as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length) fail(`${at}: unknown field ${unknown[0]} (channel, days, hours, priority)`);
    if (!PRIORITIES.includes(priority as OutagePriority)) fail(`${at}.priority must be high, medium or low`);
    const channels = channel === undefined ? [] : Array.isArray(channel) ? channel : [channel];
    for (const c of channels)
      if (!OUTAGE_CHANNELS.includes(c as OutageChannel))
        fail(`${at}.channel ${JSON.stringify(c)} is not one of ${OUTAGE_CHANNELS.join(', ')}`);
    if (days !== undefined && (typeof days !== 'string' || daySet(days) === null))
      fail(`${at}.days ${JSON.stringify(days)}: use mon-fri, sat,sun or mon`);
    if (hours !== undefined && (typeof hours !== 'string' || hourRange(hours) === null))
      fail(`${at}.hours ${JSON.stringify(hours)}: use 09-18 (start-end, 00-24)`);
    return {
      priority: priority as OutagePriority,
      ...(channel === undefined ? {} : { channel: channel as PriorityRule['channel'] }),
      ...(days === undefined ? {} : { days: days as string }),
      ...(hours === undefined ? {} : { hours: hours as string }),
    };
  });
  return { timeZone: timeZone as string, rules: parsed };
}

export function priorityFor(channel: OutageChannel, at: Date, rules: PriorityRules = PRIORITY_RULES_DEFAULTS): OutagePriority {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: rules.timeZone,
    weekday: 'short',
    hour: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(at);
  const day = DAYS.indexOf(
    parts
      .find((p) => p.type === 'weekday')!
      .value.toLowerCase()
      .slice(0, 3) as (typeof DAYS)[number],
  );
  const hour = Number(parts.find((p) => p.type === 'hour')!.value) % 24;
  for (const rule of rules.rules) {
    const channels = rule.channel === undefined ? null : Array.isArray(rule.channel) ? rule.channel : [rule.channel];
    if (channels && !channels.includes(channel)) continue;
    if (rule.days !== undefined && !daySet(rule.days)!.has(day)) continue;
    if (rule.hours !== undefined && !inHours(hour, hourRange(rule.hours)!)) continue;
    return rule.priority;
  }
  return 'low';
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Weekday numbers (0 = Sunday) of `mon-fri`, `sat,sun`, `mon`; null when malformed. */
function daySet(spec: string): Set<number> | null {
  const set = new Set<number>();
  for (const part of spec
    .toLowerCase()
    .split(',')
    .map((s) => s.trim())) {
    const [from, to] = part.split('-') as [string, string | undefined];
    const a = DAYS.indexOf(from as (typeof DAYS)[number]);
    const b = to === undefined ? a : DAYS.indexOf(to as (typeof DAYS)[number]);
    if (a < 0 || b < 0) return null;
    for (let d = a; ; d = (d + 1) % 7) {
      set.add(d);
      if (d === b) break;
    }
  }
  return set;
}

function hourRange(spec: string): [number, number] | null {
  const match = /^(\d{2})-(\d{2})$/.exec(spec);
  if (!match) return null;
  const [start, end] = [Number(match[1]), Number(match[2])];
  return start <= 24 && end <= 24 && start !== end ? [start, end] : null;
}

function inHours(hour: number, [start, end]: [number, number]): boolean {
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}
