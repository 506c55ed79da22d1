/**
 * `npm run bench`: the showroom on local workerd, side by side in one run:
 *  - product page and /api/products/:sku answered with the origin live,
 *  - the same from the snapshot (origin down, mode degraded),
 *  - a bare worker returning the same bytes from memory (the runtime's limit),
 *  - /api/products/:sku while the origin hangs: the requests that wait for the
 *    deadline before the breaker opens, then the breaker-open path.
 * Figures are printed, never asserted: this machine is shared and noisy.
 */
import autocannon from 'autocannon';
import { freePort, startLocalStack, startWranglerDev } from '../support/local-stack.ts';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DEADLINE_MS = 800;
const SKU = 'FUR-KNO-KNO-014';
const PAGE = '/p/knoll-saarinen-executive-conference-chair';

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function measure(name: string, url: string): Promise<Row> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
  };
}

async function timed(url: string): Promise<{ ms: number; source: string | null }> {
  const started = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  return { ms: performance.now() - started, source: res.headers.get('x-vitrine-source') };
}

async function startBareWorker() {
  return startWranglerDev({ config: 'tests/bench/bare-worker/wrangler.toml', port: await freePort() });
}

async function main() {
  console.log(`starting the stack (origin + showroom on wrangler dev)… ${CONNECTIONS} connections, ${DURATION_S} s per row`);
  // A long probe interval keeps the monitor out of the hang measurement: only the deadline and the breaker act.
  const stack = await startLocalStack({ vars: { PROBE_INTERVAL_MS: '60000', ORIGIN_DEADLINE_MS: String(DEADLINE_MS) } });
  const bare = await startBareWorker();
  const rows: Row[] = [];
  try {
    for (const [path, type] of [
      [PAGE, 'text/html; charset=utf-8'],
      [`/api/products/${SKU}`, 'application/json'],
    ] as const) {
      const body = await (await fetch(`${stack.edgeUrl}${path}`)).arrayBuffer();
      await fetch(`${bare.url}/__bytes?path=${encodeURIComponent(path.split('?')[0]!)}`, {
        method: 'POST',
        body,
        headers: { 'content-type': type },
      });
    }
    rows.push(await measure('product page, live (origin price)', `${stack.edgeUrl}${PAGE}`));
    rows.push(await measure('api product, live (origin)', `${stack.edgeUrl}/api/products/${SKU}`));
    rows.push(await measure('product page, bare worker', `${bare.url}${PAGE}`));
    rows.push(await measure('api product, bare worker', `${bare.url}/api/products/${SKU}`));

    // The origin hangs: the first requests of an isolate wait out the deadline, then the breaker opens.
    await stack.setFault('hang');
    const first = [];
    for (let i = 0; i < 4; i++) first.push(await timed(`${stack.edgeUrl}/api/products/${SKU}`));
    rows.push(await measure('api product, origin hanging (breaker open)', `${stack.edgeUrl}/api/products/${SKU}`));

    // The origin refuses connections: reads come from the snapshot (breaker open or mode degraded).
    await stack.setFault('down');
    for (let i = 0; i < 4; i++) await timed(`${stack.edgeUrl}/api/products/${SKU}`);
    rows.push(await measure('product page, origin down (snapshot)', `${stack.edgeUrl}${PAGE}`));
    rows.push(await measure('api product, origin down (snapshot)', `${stack.edgeUrl}/api/products/${SKU}`));

    console.log(`\n${'case'.padEnd(44)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'non-2xx'.padStart(8)}`);
    for (const r of rows) {
      console.log(
        `${r.name.padEnd(44)} ${r.rps.toFixed(0).padStart(8)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.non2xx).padStart(8)}`,
      );
    }
    const hangOpen = rows.find((r) => r.name.startsWith('api product, origin hanging'))!;
    const snap = rows.find((r) => r.name.startsWith('api product, origin down'))!;
    console.log(`\norigin hanging, before the breaker opens (deadline ${DEADLINE_MS} ms, target ≤ ${DEADLINE_MS + 50} ms):`);
    console.log(`  ${first.map((f) => `${f.ms.toFixed(0)} ms (${f.source})`).join(', ')}`);
    console.log(
      `origin hanging, breaker open: p99 ${hangOpen.p99} ms vs snapshot path p99 ${snap.p99} ms (ratio ${(hangOpen.p99 / Math.max(1, snap.p99)).toFixed(2)}, target ≤ 1.10)`,
    );
  } finally {
    await bare.stop();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
