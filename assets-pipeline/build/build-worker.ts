/**
 * A worker thread of the build pool: builds the models it is sent, one at a
 * time, and reports each step, the model to render the poster from (as soon
 * as it is ready), the result, or the failure message.
 */
import { parentPort } from 'node:worker_threads';
import { type BuildModelJob, buildModel } from './build-model.ts';

export type WorkerReply =
  | { type: 'step' }
  | { type: 'posterModel'; glb: Uint8Array }
  | { type: 'done'; result: Awaited<ReturnType<typeof buildModel>> }
  | { type: 'failed'; message: string };

const port = parentPort;
if (!port) throw new Error('build-worker.ts runs as a worker thread of build-pool.ts');

port.on('message', async (job: BuildModelJob) => {
  const reply = (message: WorkerReply) => port.postMessage(message);
  try {
    const result = await buildModel(job, {
      onStep: () => reply({ type: 'step' }),
      onPosterModel: (glb) => reply({ type: 'posterModel', glb }),
    });
    reply({ type: 'done', result });
  } catch (err) {
    reply({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
});
