import { describe, expect, it } from 'vitest';
import { PRIORITY_RULES_DEFAULTS, parsePriorityRules, priorityFor } from '../../../workers/showroom/ops/incident-priority.ts';

describe('outage priority', () => {
  it.each([
    ['origin', '2026-11-23T10:00:00Z', 'high'], // Monday 10:00 UTC
    ['origin', '2026-11-23T18:00:00Z', 'medium'], // end hour is exclusive
    ['origin', '2026-11-22T10:00:00Z', 'medium'], // Sunday
    ['auth', '2026-11-22T03:00:00Z', 'high'],
    ['asset-cdn', '2026-11-23T09:00:00Z', 'medium'],
    ['asset-cdn', '2026-11-23T20:00:00Z', 'low'],
    ['third-party', '2026-11-23T10:00:00Z', 'low'],
  ] as const)('defaults: %s at %s → %s', (channel, at, expected) => {
    expect(priorityFor(channel, new Date(at), PRIORITY_RULES_DEFAULTS)).toBe(expected);
  });

  it('evaluates days and hours in the rules’ time zone, with hours wrapping past midnight', () => {
    const rules = parsePriorityRules(
      JSON.stringify({
        timeZone: 'Pacific/Auckland',
        rules: [
          { channel: ['origin', 'auth'], days: 'mon-fri', hours: '09-17', priority: 'high' },
          { hours: '22-06', priority: 'low' },
          { priority: 'medium' },
        ],
      }),
    );
    // Sunday 21:00 UTC is Monday 10:00 in Auckland (UTC+13 in November).
    expect(priorityFor('origin', new Date('2026-11-22T21:00:00Z'), rules)).toBe('high');
    expect(priorityFor('origin', new Date('2026-11-22T10:00:00Z'), rules)).toBe('low'); // Sunday 23:00 local
    expect(priorityFor('asset-cdn', new Date('2026-11-22T21:00:00Z'), rules)).toBe('medium');
  });

  it.each([
    ['{', /not valid JSON/],
    ['{"rules":[]}', /non-empty array/],
    ['{"timeZone":"Mars/Olympus","rules":[{"priority":"low"}]}', /not a known time zone/],
    ['{"rules":[{"channel":"email","priority":"low"}]}', /rules\[0\]\.channel "email"/],
    ['{"rules":[{"days":"weekdays","priority":"low"}]}', /rules\[0\]\.days/],
    ['{"rules":[{"hours":"9-18","priority":"low"}]}', /rules\[0\]\.hours/],
    ['{"rules":[{"priority":"urgent"}]}', /rules\[0\]\.priority/],
    ['{"rules":[{"priority":"low","when":"x"}]}', /unknown field when/],
  ] as const)('refuses %s', (json, reason) => {
    expect(() => parsePriorityRules(json)).toThrow(reason);
  });
});
