/**
 * Structured logs, one JSON object per line (what `wrangler tail` and Workers
 * Logs show): every mode change, fallback answer, probe failure, outbox and
 * webhook event goes through `logEvent`. When the worker has a Workers
 * Analytics Engine binding named METRICS (optional, see wrangler.toml), each
 * event is also counted there: index = the event name, blobs = the event and
 * up to three of its labels, doubles = [1, its latency or size when given].
 *
 * @example
 * useMetrics(env);                                   // once per request / alarm: picks up env.METRICS if bound
 * logEvent({ event: 'mode-change', from: 'live', to: 'degraded', reason });
 */

/** The part of an Analytics Engine dataset this module uses. */
export interface MetricsSink {
  writeDataPoint(point: { indexes?: string[]; blobs?: string[]; doubles?: number[] }): void;
}

/** Fields that label an event in Analytics Engine, in order of preference. */
const LABELS = ['kind', 'to', 'source', 'status', 'url', 'path'] as const;
/** A numeric field that measures the event. */
const MEASURES = ['latencyMs', 'durationSeconds', 'attempts', 'bytes'] as const;

let sink: MetricsSink | undefined;

/** Uses `env.METRICS` (an Analytics Engine dataset) when the worker has one; isolates share one env. */
export function useMetrics(env: object): void {
  const metrics = (env as { METRICS?: MetricsSink }).METRICS;
  sink = metrics && typeof metrics.writeDataPoint === 'function' ? metrics : undefined;
}

export function logEvent(fields: { event: string; [key: string]: unknown }): void {
  console.log(JSON.stringify({ ...fields, at: new Date().toISOString() }));
  if (!sink) return;
  try {
    const labels = LABELS.map((k) => fields[k])
      .filter((v) => v !== undefined && v !== null)
      .slice(0, 3)
      .map((v) => String(v).slice(0, 256));
    const measure = MEASURES.map((k) => fields[k]).find((v): v is number => typeof v === 'number');
    sink.writeDataPoint({ indexes: [fields.event], blobs: [fields.event, ...labels], doubles: measure === undefined ? [1] : [1, measure] });
  } catch {
    // Counting must never break the request it describes.
  }
}
