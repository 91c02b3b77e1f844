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

/**
 * Writes settings files and waits until VS Code has read them, writing them again every few seconds:
 * the server's file watcher now and then misses a write (a CI run waited 15 s for a change it never
 * saw), and a suite that tests which scopes count must not depend on that.
 */
export async function writeSettingsUntilRead(write: () => void, read: () => unknown, what: string, tries = 4, everyMs = 4000): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    write();
    for (const deadline = Date.now() + everyMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) if (read()) return;
    if (attempt === tries) throw new Error(`Timed out waiting for ${what} (written ${tries} times, ${(tries * everyMs) / 1000} s)`);
  }
}
