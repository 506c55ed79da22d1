import { describe, expect, it } from 'vitest';
import { FaultRuleSet, FaultScopeError, normalizeRulePath, pathMatches } from '../../../examples/origin/fault-rules.ts';
import { FaultSpecError, formatFaultSpec, parseFaultSpec } from '../../../examples/origin/fault-spec.ts';

describe('parseFaultSpec', () => {
  it.each([
    ['ok', { kind: 'ok' }],
    ['down', { kind: 'down' }],
    ['hang', { kind: 'hang' }],
    ['slow=200', { kind: 'slow', ms: 200 }],
    ['slow=0', { kind: 'slow', ms: 0 }],
    ['drip=50', { kind: 'drip', ms: 50 }],
    ['error=503', { kind: 'error', status: 503 }],
    ['error=429', { kind: 'error', status: 429 }],
    ['reset', { kind: 'reset' }],
    ['reset-mid-body', { kind: 'reset-mid-body' }],
    ['truncate', { kind: 'truncate' }],
    ['garbage', { kind: 'garbage' }],
    ['html', { kind: 'html' }],
    ['bad-schema', { kind: 'bad-schema' }],
    ['commit-then-reset', { kind: 'commit-then-reset' }],
    ['commit-then-500', { kind: 'commit-then-500' }],
    ['flap=2', { kind: 'flap', seconds: 2 }],
    ['flap=0.5', { kind: 'flap', seconds: 0.5 }],
  ])('parses %s', (spec, expected) => {
    expect(parseFaultSpec(spec)).toEqual(expected);
    expect(formatFaultSpec(parseFaultSpec(spec))).toBe(spec);
  });

  it.each([
    ['', /empty spec/],
    ['slow', /"slow" needs a value: slow=<ms>/],
    ['slow=', /"slow" needs a value/],
    ['slow=abc', /whole number/],
    ['slow=-5', /whole number/],
    ['slow=1.5', /whole number/],
    ['slow=600001', /between 0 and 600000/],
    ['drip=0', /between 1 and 60000/],
    ['error=200', /between 400 and 599/],
    ['error=600', /between 400 and 599/],
    ['error=5xx', /whole number/],
    ['flap=0', /greater than 0/],
    ['flap=3601', /at most 3600/],
    ['flap=fast', /must be a number/],
    ['down=5', /"down" takes no value/],
    ['DOWN', /unknown fault "DOWN"/],
    ['explode', /unknown fault "explode"/],
    [' slow=200', /unknown fault/],
    ['slow=200 ', /whole number/],
  ])('rejects %j', (spec, message) => {
    let caught: unknown;
    try {
      parseFaultSpec(spec);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FaultSpecError);
    const error = caught as FaultSpecError;
    expect(error.spec).toBe(spec);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(JSON.stringify(spec));
    expect(error.message).toContain('Valid forms: ok, down, hang, slow=<ms>, drip=<ms>, error=<status>');
  });
});

describe('FaultRuleSet', () => {
  it('matches the longest prefix, per path segment', () => {
    const rules = new FaultRuleSet();
    rules.set(parseFaultSpec('slow=100'));
    rules.set(parseFaultSpec('error=503'), { path: '/api' });
    rules.set(parseFaultSpec('hang'), { path: '/api/products/' });
    expect(rules.match('/healthz')?.fault).toEqual({ kind: 'slow', ms: 100 });
    expect(rules.match('/api')?.fault).toEqual({ kind: 'error', status: 503 });
    expect(rules.match('/api/orders')?.fault).toEqual({ kind: 'error', status: 503 });
    expect(rules.match('/api/products/X-1')?.fault).toEqual({ kind: 'hang' });
    expect(rules.match('/apix')?.fault).toEqual({ kind: 'slow', ms: 100 });
    expect(rules.view()).toEqual([
      { fault: 'hang', path: '/api/products', percent: 100 },
      { fault: 'error=503', path: '/api', percent: 100 },
      { fault: 'slow=100', path: '/', percent: 100 },
    ]);
  });

  it('replaces the rule of an existing prefix; ok on a prefix removes it; ok without a path clears all', () => {
    const rules = new FaultRuleSet();
    rules.set(parseFaultSpec('slow=100'), { path: '/api' });
    rules.set(parseFaultSpec('error=500'), { path: '/api/', percent: 10 });
    expect(rules.view()).toEqual([{ fault: 'error=500', path: '/api', percent: 10 }]);
    rules.set(parseFaultSpec('hang'), { path: '/pim' });
    rules.set(parseFaultSpec('ok'), { path: '/api' });
    expect(rules.view()).toEqual([{ fault: 'hang', path: '/pim', percent: 100 }]);
    rules.set(parseFaultSpec('down'));
    rules.set(parseFaultSpec('ok'));
    expect(rules.view()).toEqual([]);
  });

  it('applies the percentage with the random source', () => {
    const rules = new FaultRuleSet();
    rules.set(parseFaultSpec('error=503'), { percent: 30 });
    expect(rules.pick('/x', () => 0.29).fault.kind).toBe('error');
    expect(rules.pick('/x', () => 0.3).fault.kind).toBe('ok');
    rules.set(parseFaultSpec('error=503'), { percent: 0 });
    expect(rules.pick('/x', () => 0).fault.kind).toBe('ok');
  });

  it.each([
    [{ path: 'api' }, /must start with/],
    [{ path: '/api?x=1' }, /plain path prefix/],
    [{ percent: 101 }, /between 0 and 100/],
    [{ percent: -1 }, /between 0 and 100/],
    [{ percent: Number.NaN }, /between 0 and 100/],
  ])('rejects the scope %j', (scope, message) => {
    const rules = new FaultRuleSet();
    expect(() => rules.set(parseFaultSpec('hang'), scope)).toThrow(FaultScopeError);
    expect(() => rules.set(parseFaultSpec('hang'), scope)).toThrow(message);
    expect(rules.view()).toEqual([]);
  });

  it('normalizes paths and matches segments', () => {
    expect(normalizeRulePath(undefined)).toBe('/');
    expect(normalizeRulePath('///')).toBe('/');
    expect(normalizeRulePath('/api//')).toBe('/api');
    expect(pathMatches('/', '/anything')).toBe(true);
    expect(pathMatches('/api', '/api')).toBe(true);
    expect(pathMatches('/api', '/api/x')).toBe(true);
    expect(pathMatches('/api', '/apis')).toBe(false);
  });
});
