import cliProgress from 'cli-progress';

/**
 * A progress bar on stderr for work that learns its size when it starts
 * (the `onProgress(done, total)` callbacks of the build and publish steps);
 * plain lines when stderr is not a terminal.
 *
 * @example
 * const progress = progressReporter('building mirror');
 * await buildMirror({ ...options, onProgress: progress.onProgress });
 * progress.stop();
 */
export function progressReporter(label: string) {
  let bar: { update(done: number): void; stop(): void } | undefined;
  return {
    onProgress(done: number, total: number) {
      bar ??= start(label, total);
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}

function start(label: string, total: number) {
  if (!process.stderr.isTTY) {
    process.stderr.write(`${label}: ${total} steps\n`);
    return { update: (_done: number) => {}, stop: () => void process.stderr.write(`${label}: done\n`) };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(28)} [{bar}] {percentage}% {value}/{total}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done: number) => bar.update(done), stop: () => bar.stop() };
}
