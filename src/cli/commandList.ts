/** Every `image-captioner` subcommand, in the order `--help` lists them. Each stream adds its own line. */
import type { CliCommand } from './cliCommand';

export const COMMANDS: readonly CliCommand[] = [];
