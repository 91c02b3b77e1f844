import { ChildProcess, spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

/**
 * The user's Describe Anything server as a child process: their command line (an argument list, no
 * shell), its output line by line to a log, ready once its base URL answers HTTP, stopped with its
 * whole process group (a Python server may start workers of its own). No `vscode` here: the
 * commands add trust, settings and the output channel.
 */

export interface DamServerOptions {
  /** Program and arguments, e.g. ["python", "dam_server.py", "--model-path", "nvidia/DAM-3B"]. */
  readonly command: readonly string[];
  /** Polled until it answers (any HTTP status). */
  readonly baseUrl: string;
  readonly cwd?: string;
  /** How long loading the model may take before the start counts as failed. */
  readonly readyTimeoutMs: number;
  /** Each line the server prints (stdout and stderr). */
  readonly onOutput: (line: string) => void;
  /** The server ended on its own (exit code, or the signal that ended it). */
  readonly onExit?: (description: string) => void;
  readonly pollIntervalMs?: number;
}

/** A start that did not lead to a server answering: the message says why and what to check. */
export class DamServerStartError extends Error {
  override readonly name = 'DamServerStartError';
}

/** Lines kept to quote in an error when the server dies during start-up. */
const TAIL_LINES = 5;
/** How long a stop waits after SIGTERM before SIGKILL. */
const KILL_AFTER_MS = 5000;

export class DamServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly tail: string[] = [];

  constructor(private readonly options: DamServerOptions) {}

  /** True while the process runs. */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The child's process id while it runs. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /** Starts the command and resolves once the base URL answers; on a timeout, an early exit or `signal`, stops it and rejects. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.running) return;
    const [program, ...args] = this.options.command;
    if (!program) throw new DamServerStartError('No server command is set: put the program and its arguments in imageCaptioner.dam.serverCommand, e.g. ["python", "dam_server.py", "--model-path", "nvidia/DAM-3B"].');
    const child = spawn(program, args, { cwd: this.options.cwd, stdio: ['ignore', 'pipe', 'pipe'], shell: false, detached: process.platform !== 'win32', windowsHide: true });
    this.child = child;
    this.tail.length = 0;
    this.pipeLines(child);
    let exitText: string | undefined;
    this.exited = new Promise<void>((resolve) => {
      child.on('error', (err) => {
        exitText = `it could not be started: ${err.message}`;
        resolve();
      });
      child.on('exit', (code, sig) => {
        exitText ??= sig ? `it was ended by ${sig}` : `it exited with code ${code}`;
        if (this.child === child) this.options.onExit?.(exitText);
        resolve();
      });
    });
    try {
      await this.waitUntilReady(() => exitText, signal);
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Stops the process group: SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.running) {
      this.signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => this.signalGroup(child, 'SIGKILL'), KILL_AFTER_MS);
      await this.exited;
      clearTimeout(timer);
    }
    // workers outlive a leader that exited or ignored SIGTERM: they go with its group
    this.signalGroup(child, 'SIGKILL');
    this.child = undefined;
  }

  /** For deactivate: no waiting, the group is killed at once. */
  dispose(): void {
    if (this.child) this.signalGroup(this.child, 'SIGKILL');
    this.child = undefined;
  }

  private signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
    if (child.pid === undefined) return;
    try {
      if (process.platform === 'win32') child.kill(sig);
      else process.kill(-child.pid, sig);
    } catch {
      // ESRCH: the group is already gone, which is what was asked for
    }
  }

  private async waitUntilReady(exitText: () => string | undefined, signal: AbortSignal | undefined): Promise<void> {
    const deadline = Date.now() + this.options.readyTimeoutMs;
    const interval = this.options.pollIntervalMs ?? 500;
    for (;;) {
      const exited = exitText();
      if (exited) throw new DamServerStartError(`The Describe Anything server stopped before it answered: ${exited}.${this.tailText()} Check imageCaptioner.dam.serverCommand.`);
      if (signal?.aborted) throw new DamServerStartError('Starting the Describe Anything server was cancelled; it was stopped.');
      if (await answers(this.options.baseUrl, interval)) return;
      if (Date.now() > deadline) {
        throw new DamServerStartError(
          `The Describe Anything server did not answer at ${this.options.baseUrl} within ${Math.round(this.options.readyTimeoutMs / 1000)} s; it was stopped.${this.tailText()} ` +
            'Check that imageCaptioner.dam.baseUrl matches the host and port it listens on (DAM_HOST/DAM_PORT), or allow more time (imageCaptioner.dam.startTimeoutSeconds).',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }

  private tailText(): string {
    return this.tail.length ? ` Its last output: ${this.tail.join(' | ')}.` : '';
  }

  private pipeLines(child: ChildProcess): void {
    for (const stream of [child.stdout, child.stderr]) {
      const decoder = new StringDecoder('utf8');
      let pending = '';
      stream?.on('data', (data: Buffer) => {
        const lines = (pending + decoder.write(data)).split(/\r?\n/);
        pending = lines.pop() ?? '';
        for (const line of lines) this.line(line);
      });
      stream?.on('end', () => pending && this.line(pending + decoder.end()));
    }
  }

  private line(text: string): void {
    this.options.onOutput(text);
    if (!text.trim()) return;
    this.tail.push(text.length > 200 ? `${text.slice(0, 197)}...` : text);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
  }
}

/** True when `url` gives any HTTP answer within `timeoutMs` (a 404 or 405 is a server that listens). */
async function answers(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(Math.max(200, timeoutMs)) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
