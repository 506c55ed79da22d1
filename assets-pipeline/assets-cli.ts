/**
 * npm run assets -- build <files or folders...> --out <dir> [--config <file>] [--strict] [--json]
 * npm run assets -- publish <dir> --to local|remote [--env <name>] [--json]
 *
 * build: exit code 1 when any model failed (the others are still built), 2 on usage errors.
 */
import { parseArgs } from 'node:util';
import { progressReporter } from '../static-fallback/cli/progress.ts';
import { buildAssets } from './build/build-assets.ts';
import { loadBuildSettings } from './build/build-config.ts';
import { summaryTable } from './build/summary-table.ts';

const USAGE = `usage:
  npm run assets -- build <files or folders...> --out <dir> [--config <file.json>] [--strict] [--json]
  npm run assets -- publish <dir> --to local|remote [--env staging|production] [--json]`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const [command, ...paths] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'build') {
    if (paths.length === 0 || !values.out) throw new UsageError('build needs model files or folders and --out <dir>');
    const settings = await loadBuildSettings(values.config);
    if (values.strict) settings.strict = true;
    const started = performance.now();
    const bar = progressReporter('building models');
    const report = await buildAssets({ inputs: paths, out: values.out, settings, onProgress: bar.onProgress }).finally(() => bar.stop());
    const failed = report.models.filter((m) => m.status === 'failed').length;
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(summaryTable(report));
      const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
      console.log(
        `wrote ${values.out}/report.json in ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${peakRssMiB} MiB (this process with its workers; chromium not counted)`,
      );
    }
    return failed > 0 ? 1 : 0;
  }
  if (command === 'publish') {
    const [dir] = paths;
    if (!dir) throw new UsageError('publish needs the folder a build wrote: npm run assets -- publish <dir> --to local');
    const target = publishTarget(values.to, values.env);
    const { openAssetStore, publishAssets } = await import('./publish/publish-assets.ts');
    const store = await openAssetStore(target);
    try {
      const bar = progressReporter('publishing models');
      const result = await publishAssets({ dir, store, onProgress: bar.onProgress }).finally(() => bar.stop());
      if (values.json) console.log(JSON.stringify(result));
      else
        console.log(
          `published ${result.models} model(s) to ${target.to === 'local' ? 'the local state' : `R2 (${target.env})`}: ` +
            `${result.uploaded} object(s) uploaded (${(result.bytes / 1e6).toFixed(2)} MB), ${result.skipped} already there`,
        );
    } finally {
      await store.dispose();
    }
    return 0;
  }
  throw new UsageError(`unknown command "${command}"`);
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        config: { type: 'string' },
        strict: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        to: { type: 'string' },
        env: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function publishTarget(to: string | undefined, env: string | undefined): { to: 'local' } | { to: 'remote'; env: string } {
  if (to === 'local') return { to: 'local' };
  if (to === 'remote') {
    if (!env) throw new UsageError('--to remote needs --env <name> (an environment of wrangler.toml)');
    return { to: 'remote', env };
  }
  throw new UsageError('--to must be local or remote');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) console.error(`${err.message}\n\n${USAGE}`);
    else console.error(`assets: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
