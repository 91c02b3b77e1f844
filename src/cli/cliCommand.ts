/** The shape of one `image-captioner` subcommand, and what every command is given to talk to the terminal. */
import type { ParseArgsConfig } from 'node:util';

/** A command's flags as `util.parseArgs` takes them. */
export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** Exit codes a scheduler can act on (Slurm, Kubernetes): the same meaning for every command. */
export const EXIT = {
  /** Everything asked for was done. */
  ok: 0,
  /** Bad input or a failure before any work: the one-line message says what to fix; nothing was written. */
  error: 1,
  /** Usage error: an unknown command or flag, a missing argument. */
  usage: 2,
  /** The run finished but some items failed (listed in the output); running again retries them. */
  someFailed: 3,
  /** Interrupted (SIGINT/SIGTERM, a stopped batch): resumable, run the same command with --resume. */
  interrupted: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The terminal as a command sees it: streams, environment, and a signal for SIGINT/SIGTERM. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on the first SIGINT or SIGTERM: commands stop starting work, finish what is in flight and exit `interrupted`. */
  readonly signal: AbortSignal;
}

/** One subcommand: `image-captioner NAME ...args`. */
export interface CliCommand {
  readonly name: string;
  /** One line for the command list of `image-captioner --help`. */
  readonly summary: string;
  /** The whole `image-captioner NAME --help` text: usage line, arguments, flags with defaults, an example. */
  readonly help: string;
  /** Every flag the command accepts, as its parser takes them: a unit test checks that `help` names each one. */
  readonly flags: FlagOptions;
  /** Runs with the arguments after the command name; returns the exit code. Throws CliUsageError for bad usage. */
  run(args: readonly string[], io: CliIo): Promise<ExitCode>;
}

/** Bad usage (unknown flag, missing argument, `--shard 5/4`): printed as one line with a pointer to --help, exit `usage`. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** A failure the user can fix (unknown model, missing key, unreachable server, no such dataset): one line, exit `error`. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
