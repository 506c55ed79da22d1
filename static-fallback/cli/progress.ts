import cliProgress from 'cli-progress';

/** A progress bar on stderr for a step of known size; a plain line when not a TTY. */
export function progressBar(label: string, total: number) {
  if (!process.stderr.isTTY) {
    process.stderr.write(`${label}: ${total} steps\n`);
    return { update: (_done: number) => {}, stop: () => process.stderr.write(`${label}: done\n`) };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(28)} [{bar}] {percentage}% {value}/{total}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done: number) => bar.update(done), stop: () => bar.stop() };
}
