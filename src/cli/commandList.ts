/** Every `image-captioner` subcommand, in the order `--help` lists them. Each stream adds its own line. */
import type { CliCommand } from './cliCommand';
import { captionCommand } from './commands/captionCommand';
import { exportCommand } from './commands/exportCommand';
import { evalCommand } from './commands/evalCommand';
import { lintCommand } from './commands/lintCommand';
import { modelsCommand } from './commands/modelsCommand';
import { importCommand } from './commands/importCommand';
import { statsCommand } from './commands/statsCommand';
import { tagCommand } from './commands/tagCommand';

export const COMMANDS: readonly CliCommand[] = [
  captionCommand,
  tagCommand,
  exportCommand,
  importCommand,
  statsCommand,
  lintCommand,
  evalCommand,
  modelsCommand,
];
