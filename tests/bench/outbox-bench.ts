/**
 * `npm run bench:outbox [-- --json]`: the write path on the real stack (the
 * example origin with SQLite, the showroom in `wrangler dev`), with autocannon
 * posting order intents, each with its own Idempotency-Key, BENCH_CONNECTIONS
 * connections for BENCH_DURATION seconds per phase:
 * - live: every write forwarded to the origin and answered with its 201;
 * - degraded (origin down): every write committed to the outbox, answered 202;
 *   this is the outbox's accept rate;
 * - replay: the origin comes back; the time until the outbox has delivered
 *   every write it held, as writes/s to the origin.
 * The per-client write limit is raised for the run (one loopback client plays every shopper).
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { type LocalStack, startLocalStack } from '../support/local-stack.ts';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const ORDER = JSON.stringify({
  items: [{ sku: 'FUR-KNO-KNO-014', quantity: 1 }],
  contact: { name: 'Bench Shopper', email: 'bench@example.com' },
});

interface Row {
  phase: string;
  writesPerS: number;
  p50Ms: number;
  p99Ms: number;
  answers: string;
}

async function post(stack: LocalStack, phase: string): Promise<Row> {
  const statuses = new Map<number, number>();
  const result = await autocannon({
    url: `${stack.edgeUrl}/api/orders`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: ORDER,
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': `bench-${randomUUID()}` } }),
        onResponse: (status) => void statuses.set(status, (statuses.get(status) ?? 0) + 1),
      },
    ],
  });
  return {
    phase,
    writesPerS: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    answers: [...statuses].map(([s, n]) => `${n}×${s}`).join(' ') + (result.errors ? ` ${result.errors}×error` : ''),
  };
}

type Status = { mode: string; outbox: { pending: number; delivered: number; deadLetter: number } };
const status = async (stack: LocalStack) => (await stack.status()) as unknown as Status;

async function waitFor(stack: LocalStack, what: string, ok: (s: Status) => boolean, timeoutMs: number): Promise<Status> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await status(stack);
    if (ok(s)) return s;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000} s (last: ${JSON.stringify(s)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  const json = process.argv.includes('--json');
  const log = (line: string) => json || console.error(line);
  log('starting the stack (example origin + showroom on wrangler dev)…');
  const stack = await startLocalStack({
    vars: { PROBE_INTERVAL_MS: '500' },
    rateLimits: { WRITE_LIMITER: 1_000_000, EVENT_LIMITER: 1_000_000 },
  });
  try {
    log(`live: POST /api/orders, ${CONNECTIONS} connections × ${DURATION_S} s…`);
    const live = await post(stack, 'live (to the origin)');
    await stack.setFault('down');
    await waitFor(stack, 'degraded', (s) => s.mode === 'degraded', 20_000);
    log('degraded: the same load into the outbox…');
    const degraded = await post(stack, 'degraded (into the outbox)');
    const held = (await status(stack)).outbox.pending;
    log(`replay: ${held} queued writes, origin back…`);
    const started = performance.now();
    await stack.setFault('ok');
    const done = await waitFor(stack, 'outbox drained', (s) => s.mode === 'live' && s.outbox.pending === 0, 300_000);
    const seconds = (performance.now() - started) / 1000;
    const replay = {
      writes: held,
      seconds: Number(seconds.toFixed(1)),
      writesPerS: Math.round(held / seconds),
      deadLetter: done.outbox.deadLetter,
    };
    const result = { connections: CONNECTIONS, durationS: DURATION_S, rows: [live, degraded], replay };
    if (json) return void console.log(JSON.stringify(result));
    console.table([live, degraded]);
    console.log(
      `replay: ${held} writes delivered in ${replay.seconds} s after the origin came back = ${replay.writesPerS} writes/s ` +
        `(includes the monitor noticing the origin: up to two probe intervals of 500 ms); dead-lettered ${replay.deadLetter}`,
    );
    console.log(`p99 of POST /api/orders, degraded vs live: ${(degraded.p99Ms / live.p99Ms).toFixed(2)}×`);
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
