/**
 * `npm run bench:mirror`: build and publish-to-local of generated catalogs
 * (default 10,000 and 100,000 products; BENCH_MIRROR_SIZES=1000,5000 to
 * change), each step a separate process running the real CLI, so peak RSS is
 * that step's own. Then an unchanged re-publish, which must write nothing.
 * Spec-sheet PDFs are built only up to BENCH_MIRROR_PDF_MAX products
 * (default 10,000); their cost is reported per PDF.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../static-fallback/local-state.ts';
import { generateCatalog } from './generate-catalog.ts';

const run = promisify(execFile);
const SIZES = (process.env.BENCH_MIRROR_SIZES ?? '10000,100000').split(',').map(Number);
const PDF_MAX = Number(process.env.BENCH_MIRROR_PDF_MAX ?? 10_000);

async function cli(args: string[], stateDir: string): Promise<Record<string, number | boolean | string>> {
  const started = performance.now();
  // Through `npm run mirror`, so the CLI runs with the same Node flags as for an operator.
  const { stdout } = await run('npm', ['run', '--silent', 'mirror', '--', ...args, '--json'], {
    cwd: PROJECT_ROOT,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, VITRINE_STATE_DIR: stateDir, WRANGLER_LOG: 'error' },
  });
  const line = stdout.trim().split('\n').pop() ?? '{}';
  return { ...JSON.parse(line), wallMs: performance.now() - started };
}

async function main() {
  const rows: string[][] = [];
  for (const size of SIZES) {
    const work = await mkdtemp(join(tmpdir(), `vitrine-mirror-bench-${size}-`));
    try {
      const catalog = join(work, 'catalog.json');
      await generateCatalog(size, catalog);
      const pdf = size <= PDF_MAX;
      console.log(`${size} products: building${pdf ? ' (with spec-sheet PDFs)' : ' (no PDFs)'}…`);
      const build = await cli(['build', '--catalog', catalog, '--out', join(work, 'site'), ...(pdf ? [] : ['--no-pdf'])], work);
      console.log(`${size} products: publishing to local workerd state…`);
      const publish = await cli(['publish', join(work, 'site'), '--to', 'local'], join(work, 'state'));
      const again = await cli(['publish', join(work, 'site'), '--to', 'local'], join(work, 'state'));
      const pages = build.pages as number;
      rows.push([
        String(size),
        pdf ? 'yes' : 'no',
        String(pages),
        ((build.wallMs as number) / 1000).toFixed(1),
        String(Math.round(pages / ((build.ms as number) / 1000))),
        String(build.peakRssMiB),
        ((publish.wallMs as number) / 1000).toFixed(1),
        String(Math.round((publish.pages as number) / ((publish.wallMs as number) / 1000))),
        String(publish.peakRssMiB),
        again.published ? 'WROTE' : 'nothing',
      ]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  const head = ['products', 'pdf', 'pages', 'build s', 'pages/s', 'build RSS MiB', 'publish s', 'pages/s', 'publish RSS MiB', 're-publish'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(`\n${line(head)}\n${rows.map(line).join('\n')}`);
  console.log(
    '\nbuild pages/s counts HTML pages (each rendered twice: folder and edge) over the build time inside the CLI; publish pages/s over its wall time.',
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
