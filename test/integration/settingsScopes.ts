// The settings files of the window's VS Code server, for suites that set a value in one scope on purpose.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readHarness } from './browser';

/**
 * The server's remote machine settings file: `<user-data-dir>/Machine/settings.json`, what the Settings
 * editor shows as "Remote" in a Remote-SSH or code-server window. VS Code watches it, so a write
 * here reaches the extension host like an edit in the Settings editor.
 */
export function machineSettingsFile(): string {
  const userDataDir = readHarness()?.userDataDir;
  if (!userDataDir) throw new Error('No user data folder: run through runIntegration.js');
  return path.join(userDataDir, 'Machine', 'settings.json');
}

/**
 * Writes the remote machine settings. Clear them by writing `{}`: the server notices a file that
 * changes, but went on using the values of one that was deleted (seen with VS Code 1.139).
 */
export function writeMachineSettings(settings: Readonly<Record<string, unknown>>): void {
  const file = machineSettingsFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}
