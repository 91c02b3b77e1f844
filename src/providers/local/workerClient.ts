/**
 * The extension host's side of the local-model worker: starts `dist/worker.js` on first need with
 * the host's own runtime (`ELECTRON_RUN_AS_NODE`), speaks JSON-RPC on its stdin/stdout, copies its
 * stderr into the log, routes progress by ticket, cancels and times out requests, notices a crash
 * (pending requests fail; the next request starts a fresh worker) and stops an idle worker.
 * Imports no `vscode`: tested in plain Node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  CancellationTokenSource,
  createMessageConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
  type RequestType,
} from 'vscode-jsonrpc/node';
import { Notifications, Requests, WorkerErrorCodes, type Progress, type WorkerErrorKind, type WorkerInfo, type WorkerSettings } from '../../worker/protocol';

export type LocalWorkerErrorKind = WorkerErrorKind | 'crashed' | 'timeout' | 'cancelled';

export class LocalWorkerError extends Error {
  constructor(
    readonly kind: LocalWorkerErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'LocalWorkerError';
  }
}

export interface WorkerClientOptions {
  /** dist/worker.js */
  readonly workerPath: string;
  /** The runtime to start it with (default: this process's own). */
  readonly execPath?: string;
  /** Read at every start, so changed settings apply to the next worker. */
  readonly settings: () => WorkerSettings;
  readonly log: (line: string) => void;
  /** Stop the worker after this long with nothing to do (0: never). */
  readonly idleExitMs: number;
  /** How long to wait for a cancelled or timed-out request to stop before killing the worker. */
  readonly stopGraceMs?: number;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly onProgress?: (progress: Progress) => void;
}

interface Running {
  readonly child: ChildProcess;
  readonly connection: MessageConnection;
  readonly info: WorkerInfo;
  readonly exited: Promise<void>;
}

type Ticketed<P> = P extends { ticket: number } ? Omit<P, 'ticket'> : P;

export class WorkerClient {
  private running: Promise<Running> | undefined;
  private readonly progressByTicket = new Map<number, (progress: Progress) => void>();
  /** How to fail each request sent to a worker process, by the process it went to. */
  private readonly failPending = new Map<(error: LocalWorkerError) => void, ChildProcess>();
  private nextTicket = 1;
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private starts = 0;

  constructor(private readonly options: WorkerClientOptions) {}

  /** How many workers were started so far (a restart after a crash counts). */
  get startCount(): number {
    return this.starts;
  }

  /** The running worker's process id, if one runs. */
  async pid(): Promise<number | undefined> {
    return this.running ? (await this.running.catch(() => undefined))?.child.pid : undefined;
  }

  async info(): Promise<WorkerInfo> {
    return (await this.ensureRunning()).info;
  }

  /** Sends one request; params that carry a ticket get one, and its progress reaches `onProgress`. */
  async request<P, R>(type: RequestType<P, R, void>, params: Ticketed<P>, options: RequestOptions = {}): Promise<R> {
    if (options.signal?.aborted) throw new LocalWorkerError('cancelled', 'Cancelled');
    this.inFlight += 1;
    this.clearIdleTimer();
    const ticket = this.nextTicket++;
    if (options.onProgress) this.progressByTicket.set(ticket, options.onProgress);
    const cancellation = new CancellationTokenSource();
    let reject: ((error: LocalWorkerError) => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    let answered = false;
    // Fails the request on a crash, a cancellation or its time limit, whether the worker is still starting or running.
    const failure = new Promise<never>((_, fail) => {
      reject = fail;
      const stop = (error: LocalWorkerError) => {
        cancellation.cancel();
        this.killIfStuck(this.current, () => answered);
        fail(error);
      };
      if (options.signal) {
        onAbort = () => stop(new LocalWorkerError('cancelled', 'Cancelled'));
        options.signal.addEventListener('abort', onAbort, { once: true });
      }
      if (options.timeoutMs) {
        const seconds = Math.round(options.timeoutMs / 1000);
        timer = setTimeout(() => stop(new LocalWorkerError('timeout', `The local model did not answer within ${seconds} s`)), options.timeoutMs);
      }
    });
    failure.catch(() => undefined);
    try {
      const running = await Promise.race([this.ensureRunning(), failure]);
      if (reject) this.failPending.set(reject, running.child);
      const sent = running.connection.sendRequest(type, { ...params, ticket } as never, cancellation.token) as Promise<R>;
      void sent.then(
        () => (answered = true),
        () => (answered = true),
      );
      return await Promise.race([sent.catch((error: unknown) => Promise.reject(toWorkerError(error))), failure]);
    } finally {
      if (timer) clearTimeout(timer);
      if (onAbort) options.signal?.removeEventListener('abort', onAbort);
      if (reject) this.failPending.delete(reject);
      this.progressByTicket.delete(ticket);
      cancellation.dispose();
      this.inFlight -= 1;
      if (this.inFlight === 0) this.armIdleTimer();
    }
  }

  /** Stops the worker (it starts again on the next request). */
  async stop(): Promise<void> {
    this.clearIdleTimer();
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    const worker = await running.catch(() => undefined);
    if (!worker) return;
    worker.connection.dispose();
    worker.child.stdin?.end();
    const killed = setTimeout(() => worker.child.kill('SIGKILL'), 2000);
    await worker.exited;
    clearTimeout(killed);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stop();
  }

  private ensureRunning(): Promise<Running> {
    if (this.disposed) return Promise.reject(new LocalWorkerError('failed', 'The local model worker was shut down'));
    if (!this.running) {
      this.running = this.start();
      this.running.catch(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async start(): Promise<Running> {
    this.starts += 1;
    const child = spawn(this.options.execPath ?? process.execPath, [this.options.workerPath], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('error', (error) => this.options.log(`The local model worker could not start: ${error.message}`));
    let stderrTail = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4000);
      for (const line of chunk.split('\n')) if (line.trim()) this.options.log(`[worker] ${line.trimEnd()}`);
    });
    // Any message from the worker shows it is alive (a stuck one sends nothing at all).
    child.stdout!.on('data', () => (this.lastHeardFrom = Date.now()));
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.onNotification(Notifications.progress, (progress) => this.progressByTicket.get(progress.ticket)?.(progress));
    connection.onError(() => undefined);
    connection.listen();
    child.once('exit', (code, signal) => {
      connection.dispose();
      if (this.running && this.current === child) this.running = undefined;
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      const memory = /out of memory|heap/i.test(stderrTail) ? ' It ran out of memory: choose a smaller model or dtype (q8/q4).' : '';
      const error = new LocalWorkerError('crashed', `The local model worker ${how} during the request.${memory} It starts again on the next request.`);
      for (const [fail, target] of [...this.failPending]) if (target === child) fail(error);
      if (code !== 0 || signal) this.options.log(`The local model worker ${how}.`);
    });
    this.current = child;
    const started = Date.now();
    try {
      const info = await Promise.race([
        connection.sendRequest(Requests.configure, this.options.settings()),
        exited.then(() => Promise.reject(new LocalWorkerError('crashed', `The local model worker stopped while starting: ${stderrTail.trim().slice(-500)}`))),
      ]);
      this.options.log(`Local model worker started (pid ${info.pid}, ${Date.now() - started} ms; backends: ${info.backends.join(', ')}).`);
      return { child, connection, info, exited };
    } catch (error) {
      child.kill('SIGKILL');
      throw error instanceof LocalWorkerError ? error : toWorkerError(error);
    }
  }

  private current: ChildProcess | undefined;
  private lastHeardFrom = 0;

  /** A worker that does not stop a cancelled request soon (a long native call, a hung start) is killed. */
  private killIfStuck(child: ChildProcess | undefined, answered: () => boolean): void {
    if (!child) return;
    const grace = this.options.stopGraceMs ?? 10_000;
    const timer = setTimeout(() => {
      // Still busy with other requests (answering them) is not stuck: only a silent worker is killed.
      const silent = Date.now() - this.lastHeardFrom >= grace;
      if (!answered() && silent && this.current === child && child.exitCode === null) {
        this.options.log('The local model worker did not stop a cancelled request in time; restarting it.');
        this.running = undefined; // requests from now on start a fresh worker
        child.kill('SIGKILL');
      }
    }, grace);
    timer.unref();
  }

  private armIdleTimer(): void {
    if (!this.options.idleExitMs || !this.running) return;
    this.idleTimer = setTimeout(() => {
      this.options.log(`Stopping the idle local model worker after ${Math.round(this.options.idleExitMs / 1000)} s.`);
      void this.stop();
    }, this.options.idleExitMs);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

function toWorkerError(error: unknown): LocalWorkerError {
  if (error instanceof LocalWorkerError) return error;
  if (error instanceof ResponseError) {
    const kind = (error.data as { kind?: WorkerErrorKind } | undefined)?.kind;
    if (error.code === WorkerErrorCodes.cancelled) return new LocalWorkerError('cancelled', 'Cancelled');
    return new LocalWorkerError(kind ?? 'failed', error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/connection (got )?disposed|closed/i.test(message)) return new LocalWorkerError('crashed', `The local model worker stopped: ${message}`);
  return new LocalWorkerError('failed', message);
}
