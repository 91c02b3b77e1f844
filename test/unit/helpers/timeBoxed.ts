import { Worker } from 'node:worker_threads';

/** What a time-boxed call returned and how long it ran (in its thread, start-up excluded). */
export interface TimedResult<T> {
  readonly value: T;
  /**
   * CPU time of the process during the call: the caller's thread only waits, so this is the call's
   * own time, which other processes on a busy test machine do not stretch as they stretch wall time.
   */
  readonly ms: number;
}

const RUNNER = `
const { parentPort, workerData } = require('node:worker_threads');
const fn = require(workerData.modulePath)[workerData.exportName];
const started = process.cpuUsage();
const value = fn(...workerData.args);
const used = process.cpuUsage(started);
parentPort.postMessage({ value, ms: (used.user + used.system) / 1000 });
`;

/**
 * Calls `exportName` of the compiled module `modulePath` with `args` in a worker thread that is
 * ended after `limitMs`: code that never finishes (a backtracking regex) fails the test with a
 * message instead of freezing the whole test run. For synchronous work: a mocha timeout, or
 * `within` (timeLimit.ts) for promises, needs a turn of the event loop that such code never gives.
 */
export function callWithin<T>(limitMs: number, modulePath: string, exportName: string, ...args: unknown[]): Promise<TimedResult<T>> {
  const worker = new Worker(RUNNER, { eval: true, workerData: { modulePath, exportName, args } });
  return new Promise<TimedResult<T>>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${exportName}(${args.map((a) => JSON.stringify(a)?.slice(0, 40)).join(', ')}) did not finish within ${limitMs} ms`));
      void worker.terminate();
    }, limitMs);
    worker.once('message', (result: TimedResult<T>) => {
      clearTimeout(timer);
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
