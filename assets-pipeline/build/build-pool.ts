/**
 * Models build in parallel in worker threads, up to the core count: the
 * geometry and validation work is synchronous JavaScript/WebAssembly, so
 * threads (not just async I/O) are what keeps every core busy.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BuildModelHooks, BuildModelJob, BuiltModel } from './build-model.ts';
import type { WorkerReply } from './build-worker.ts';

/** The worker's hooks, plus when a worker takes the job (it may wait in the queue before). */
export interface PoolHooks extends BuildModelHooks {
  onStart?: () => void;
}

export interface BuildPool {
  /** Builds one model on the next free worker; rejects with the model's failure message. */
  build(job: BuildModelJob, hooks?: PoolHooks): Promise<BuiltModel>;
  close(): Promise<void>;
}

interface Task {
  job: BuildModelJob;
  hooks: PoolHooks;
  resolve: (model: BuiltModel) => void;
  reject: (err: Error) => void;
}

const WORKER_URL = new URL('./build-worker.ts', import.meta.url);

/**
 * Opens a pool of `size` workers (default: the core count), started on first use.
 *
 * @example
 * const pool = openBuildPool(2);
 * try {
 *   const built = await pool.build({ id: 'chair', path: 'models/chair.glb', settings, out: 'dist/assets' });
 * } finally {
 *   await pool.close();
 * }
 */
export function openBuildPool(size = availableParallelism()): BuildPool {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const queue: Task[] = [];

  const dispatch = () => {
    while (queue.length > 0 && (idle.length > 0 || all.size < size)) {
      const worker = idle.pop() ?? spawn();
      run(worker, queue.shift()!);
    }
  };
  const spawn = () => {
    const worker = new Worker(WORKER_URL);
    all.add(worker);
    return worker;
  };
  const run = (worker: Worker, task: Task) => {
    const settle = (outcome: () => void) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      outcome();
      dispatch();
    };
    const onMessage = (reply: WorkerReply) => {
      if (reply.type === 'step') return task.hooks.onStep?.();
      if (reply.type === 'posterModel') return task.hooks.onPosterModel?.(reply.glb);
      idle.push(worker);
      worker.unref(); // an idle worker does not keep the process alive
      if (reply.type === 'done') settle(() => task.resolve(reply.result));
      else settle(() => task.reject(new Error(reply.message)));
    };
    const onError = (err: Error) => {
      all.delete(worker);
      void worker.terminate();
      const hint = /Unknown file extension "\.ts"/.test(err.message) ? ' (run through `npm run assets`, which brings Node 24 and tsx)' : '';
      settle(() => task.reject(new Error(`${task.job.id}: the build worker crashed: ${err.message}${hint}`)));
    };
    const onExit = (code: number) => {
      all.delete(worker);
      settle(() => task.reject(new Error(`${task.job.id}: the build worker exited (code ${code})`)));
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.ref();
    task.hooks.onStart?.();
    worker.postMessage(task.job);
  };

  return {
    build: (job, hooks = {}) =>
      new Promise<BuiltModel>((resolve, reject) => {
        queue.push({ job, hooks, resolve, reject });
        dispatch();
      }),
    close: async () => {
      for (const task of queue.splice(0)) task.reject(new Error(`${task.job.id}: the build pool closed`));
      await Promise.all([...all].map((w) => w.terminate()));
      all.clear();
    },
  };
}
