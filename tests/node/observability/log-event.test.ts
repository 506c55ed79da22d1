import { afterEach, describe, expect, it, vi } from 'vitest';
import { logEvent, useMetrics } from '../../../workers/shared/observability/log-event.ts';

afterEach(() => {
  useMetrics({});
  vi.restoreAllMocks();
});

describe('logEvent', () => {
  it('prints one JSON line with the event, its fields and the time', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    logEvent({ event: 'mode-change', from: 'live', to: 'degraded', reason: '2 failed probes' });
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as Record<string, string>;
    expect(parsed).toMatchObject({ event: 'mode-change', from: 'live', to: 'degraded', reason: '2 failed probes' });
    expect(Number.isNaN(Date.parse(parsed.at!))).toBe(false);
  });

  it('counts the event in Analytics Engine when METRICS is bound, labelled and measured, and never throws', () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const points: unknown[] = [];
    useMetrics({ METRICS: { writeDataPoint: (p: unknown) => void points.push(p) } });
    logEvent({ event: 'outbox-delivered', kind: 'order', attempts: 2, receipt: 'w1-x' });
    logEvent({ event: 'fallback-answer', source: 'snapshot', path: '/api/products/X' });
    expect(points).toEqual([
      { indexes: ['outbox-delivered'], blobs: ['outbox-delivered', 'order'], doubles: [1, 2] },
      { indexes: ['fallback-answer'], blobs: ['fallback-answer', 'snapshot', '/api/products/X'], doubles: [1] },
    ]);
    useMetrics({
      METRICS: {
        writeDataPoint: () => {
          throw new Error('quota');
        },
      },
    });
    expect(() => logEvent({ event: 'x' })).not.toThrow();
    useMetrics({});
    logEvent({ event: 'y' });
    expect(points).toHaveLength(2);
  });
});
