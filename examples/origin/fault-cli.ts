/**
 * `npm run fault -- <spec> [--path <prefix>] [--percent <n>] | ok | status | --help`
 *
 * Changes the running example origin's faults through its control endpoint
 * (127.0.0.1, port ORIGIN_CONTROL_PORT, else ORIGIN_PORT + 1, else 8789). See fault-command.ts.
 */
import { runFaultCli } from './fault-command.ts';

process.exitCode = await runFaultCli(process.argv.slice(2), process.env, {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
