/**
 * `image-captioner`: the command-line twin of the extension (issue 14), over the same src/core and
 * providers. This file only dispatches: each subcommand lives in src/cli/commands/.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CliError, CliIo, CliUsageError, EXIT, ExitCode } from './cliCommand';
import { COMMANDS } from './commandList';

const NAME = 'image-captioner';

/** The top-level help: what the tool is and one line per command. */
export function topLevelHelp(): string {
  const width = Math.max(0, ...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `Usage: ${NAME} <command> [arguments] [flags]`,
    '',
    'Caption, check and export image-text datasets without a window: the same engine as the',
    'Image Captioner extension for VS Code, writing exactly what it writes.',
    '',
    'Commands:',
    ...lines,
    '',
    `Run "${NAME} <command> --help" for a command's arguments and flags.`,
    'API keys come from environment variables only (never from arguments).',
    '',
  ].join('\n');
}

/** Runs one command line (without `node` and the script); returns the exit code, never calls process.exit. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(topLevelHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`${NAME}: unknown command "${name}". Run "${NAME} --help" for the list.\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    // After SIGINT/SIGTERM a failure is the interruption itself (an indexing or a read cut short): resumable, not an error.
    if (io.signal.aborted) {
      io.stderr.write(`${NAME} ${name}: interrupted; run the same command again to finish\n`);
      return EXIT.interrupted;
    }
    if (err instanceof CliUsageError) {
      io.stderr.write(`${NAME} ${name}: ${err.message} (see "${NAME} ${name} --help")\n`);
      return EXIT.usage;
    }
    if (err instanceof CliError) {
      io.stderr.write(`${NAME} ${name}: ${err.message}\n`);
      return EXIT.error;
    }
    io.stderr.write(`${NAME} ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.error;
  }
}

/** The package version: the nearest package.json above this file (dist/cli.js or out/src/cli/main.js alike). */
function version(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'image-captioner' && manifest.version) return manifest.version;
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/** The process entry: wires SIGINT/SIGTERM to an AbortSignal, and exits with the command's code. */
function main(): void {
  const abort = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second signal means "now": exit at once, the journal already holds every finished item.
    if (++signals > 1) process.exit(EXIT.interrupted);
    process.stderr.write(`\n${NAME}: ${signal} received, finishing the requests in flight (again to stop now)\n`);
    abort.abort();
  };
  // `image-captioner models list | head`: a reader that went away is not an error
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw err;
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: abort.signal };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${NAME}: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = EXIT.error;
    },
  );
}

if (require.main === module) main();
