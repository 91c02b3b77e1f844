/** Hot exit for the caption editor: the unsaved caption backed up as plain text, the second caption beside it. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CaptionDocument } from './captionDocument';
import { secondBackupOf, type SecondCaptionFields } from './secondCaptionFields';

/**
 * The unsaved caption VS Code backed up at hot exit; undefined when there is no backup file. Any
 * other failure stops the editor from opening (logged), so the caption on disk is never shown as
 * if it were the user's unsaved text and the backup stays for the next try.
 */
export async function readCaptionBackup(backup: vscode.Uri, image: vscode.Uri, log: vscode.LogOutputChannel): Promise<string | undefined> {
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(backup)).toString('utf8');
  } catch (err) {
    if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
    const message = `Could not restore the unsaved caption of ${path.basename(image.fsPath)} from its backup ${backup.fsPath}: ${(err as Error).message}`;
    log.error(message);
    throw new Error(`${message}. The editor was not opened, so the backup is kept.`);
  }
}

/** Backs up `doc`'s caption at `destination` and its second caption (if any) beside it; the backup deletes both. */
export async function writeCaptionBackup(doc: CaptionDocument, destination: vscode.Uri, seconds: SecondCaptionFields, log: vscode.LogOutputChannel): Promise<vscode.CustomDocumentBackup> {
  await vscode.workspace.fs.writeFile(destination, Buffer.from(doc.text, 'utf8'));
  const secondDestination = secondBackupOf(destination);
  const files = (await seconds.backup(doc, secondDestination)) ? [destination, secondDestination] : [destination];
  return {
    id: destination.toString(),
    // a backup already gone is fine; one that cannot be deleted is only clutter, but the log says so
    delete: () => void Promise.all(files.map((file) => vscode.workspace.fs.delete(file).then(undefined, (err: unknown) => {
      if (!(err instanceof vscode.FileSystemError && err.code === 'FileNotFound')) log.warn(`Could not delete the caption backup ${file.fsPath}: ${(err as Error).message}`);
    }))),
  };
}
