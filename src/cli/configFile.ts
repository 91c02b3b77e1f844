/**
 * `--config FILE`: the `imageCaptioner.*` settings the CLI reads, from a JSON file with the same keys
 * as VS Code's settings, so a workspace's `.vscode/settings.json` can be passed as is (comments and
 * trailing commas allowed, other extensions' keys ignored).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { NO_SETTINGS, settingsFromMap, type SettingsSource } from '../core/settings/settingsSource';
import { CliError } from './cliCommand';

const PREFIX = 'imageCaptioner.';
/** A settings file is small; anything larger is not one. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** The file's `imageCaptioner.*` keys (prefix dropped; a relative path is from `cwd`); no file gives no settings. Throws CliError naming the file, line and problem. */
export async function readConfigFile(given: string | undefined, cwd: string): Promise<SettingsSource> {
  if (given === undefined) return NO_SETTINGS;
  const file = path.resolve(cwd, given);
  const stat = await fs.stat(file).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`--config ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  if (!stat.isFile()) throw new CliError(`--config ${file}: not a regular file`);
  if (stat.size > MAX_CONFIG_BYTES) throw new CliError(`--config ${file}: ${stat.size} bytes, more than a settings file holds (limit ${MAX_CONFIG_BYTES})`);
  const text = await fs.readFile(file, 'utf8');
  return settingsFromConfigText(text, file);
}

/** Parses settings text (JSON with comments); exported for tests. */
export function settingsFromConfigText(text: string, file: string): SettingsSource {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const first = errors[0];
    const line = text.slice(0, first.offset).split('\n').length;
    throw new CliError(`--config ${file}, line ${line}: ${printParseErrorCode(first.error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`--config ${file}: expected a JSON object of settings ({ "imageCaptioner.…": … })`);
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(value)) if (key.startsWith(PREFIX)) values[key.slice(PREFIX.length)] = setting;
  return settingsFromMap(values);
}
