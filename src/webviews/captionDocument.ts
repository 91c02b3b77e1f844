import * as vscode from 'vscode';
import { readCaption, writeCaption } from '../core/captions/captionStore';
import { minimalChange } from '../core/captions/minimalChange';
import type { DatasetBoundary } from '../core/files/datasetBoundary';

/**
 * The caption being edited beside an image. Its model is the caption file's TextDocument, so
 * other editors of the file, dirty state and external changes stay in step; until the file
 * exists the text lives here, and the file is created by the first save.
 */
export class CaptionDocument implements vscode.CustomDocument {
  private textDocument?: vscode.TextDocument;
  /** The text while there is no TextDocument: unsaved new text, or a read-only snapshot. */
  private pendingText = '';
  private fileExists = false;
  private encodingProblem?: string;
  private collision?: string;
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  /** Text the webview already shows; changes equal to it are not echoed back. */
  shownText = '';

  /** Fires with the new text when the caption changes for any reason but the webview's own edits. */
  readonly onDidChangeText = this.changeEmitter.event;

  private constructor(readonly uri: vscode.Uri, readonly captionUri: vscode.Uri, readonly boundary: DatasetBoundary) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.textDocument && e.contentChanges.length > 0) this.emitIfNew(e.document.getText());
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc === this.textDocument) this.textDocument = undefined;
      }),
    );
  }

  /**
   * Opens the caption of `imageUri`, read and written only inside `boundary`; `collision` explains
   * why it must stay read-only, if it must.
   */
  static async open(imageUri: vscode.Uri, captionUri: vscode.Uri, boundary: DatasetBoundary, collision?: string): Promise<CaptionDocument> {
    const doc = new CaptionDocument(imageUri, captionUri, boundary);
    doc.collision = collision;
    await doc.attach();
    doc.shownText = doc.text;
    return doc;
  }

  get text(): string {
    return this.textDocument ? this.textDocument.getText().replace(/\r\n/g, '\n') : this.pendingText;
  }

  /** Whether the caption file exists on disk (an image without one gets it on first save). */
  get exists(): boolean {
    return this.fileExists;
  }

  /** Text not yet on disk: a dirty TextDocument, or new text for a caption file that does not exist yet. */
  get isDirty(): boolean {
    return this.textDocument ? this.textDocument.isDirty : !this.fileExists && this.pendingText !== '';
  }

  /** Why the caption may not be edited here (shared by two images, not UTF-8, not a regular file, outside the dataset); undefined when it may. */
  get readOnlyReason(): string | undefined {
    return this.collision ?? this.encodingProblem;
  }

  /** Why the caption file's text could not be read (not UTF-8, too large); undefined when it was. */
  get unreadableReason(): string | undefined {
    return this.encodingProblem;
  }

  get editable(): boolean {
    return this.readOnlyReason === undefined;
  }

  /** Updates the collision state; returns true when it changed (and the caption may have become editable). */
  async setCollision(collision: string | undefined): Promise<boolean> {
    if (collision === this.collision) return false;
    this.collision = collision;
    await this.attach();
    this.emitIfNew(this.text);
    return true;
  }

  /**
   * Catches up with the caption file after a change on disk that VS Code may not have reported to
   * this document: a read-only snapshot, a document VS Code closed, a file created or deleted.
   * Unsaved text of this editor is never replaced.
   */
  async syncFromDisk(): Promise<void> {
    if (this.textDocument?.isDirty || (!this.textDocument && this.pendingText && this.editable && !this.fileExists)) return;
    await this.attach();
    this.emitIfNew(this.text);
  }

  /** Makes the caption `text` with the smallest edit; returns false when VS Code refused it. */
  async setText(text: string): Promise<boolean> {
    if (!this.editable) return false;
    const current = this.text;
    if (current === text) return true;
    const doc = await this.liveTextDocument();
    if (!doc) {
      this.pendingText = text;
      this.emitIfNew(text);
      return true;
    }
    const edit = new vscode.WorkspaceEdit();
    const { start, endOld, inserted } = minimalChange(current, text);
    edit.replace(doc.uri, new vscode.Range(positionAt(doc, current, start), positionAt(doc, current, endOld)), inserted);
    return vscode.workspace.applyEdit(edit);
  }

  /** Saves the caption: through VS Code when the file exists, else creates it atomically. */
  async save(): Promise<void> {
    if (!this.editable) return;
    const doc = await this.liveTextDocument();
    if (doc) {
      if (!doc.isDirty || (await doc.save()) || !doc.isDirty) return; // a save of the same document that ran meanwhile counts
      const disk = await readCaption(this.captionUri.fsPath, this.boundary).catch(() => undefined);
      const why = disk && disk.text !== this.text ? 'the file on disk differs from the text here' : 'VS Code refused to write it';
      throw new Error(`Could not save ${this.captionUri.fsPath}: ${why} (if it changed on disk, VS Code offers to compare or overwrite). Your unsaved text was kept.`);
    }
    await writeCaption(this.captionUri.fsPath, this.pendingText, this.boundary);
    this.fileExists = true;
    this.textDocument = await vscode.workspace.openTextDocument(this.captionUri);
    this.pendingText = '';
  }

  /**
   * Throws away unsaved changes: back to the text on disk (or none when there is no file). A file
   * that cannot be read now is not "no caption": the revert fails and the unsaved text stays.
   */
  async revert(): Promise<void> {
    let disk;
    try {
      disk = await readCaption(this.captionUri.fsPath, this.boundary);
    } catch (err) {
      throw new Error(`Could not revert: ${(err as Error).message.replace(/\.?$/, '.')} Your unsaved text was kept.`);
    }
    await this.setText(disk?.text ?? '');
    const doc = this.textDocument;
    // the text is the file's again, but VS Code counts the edit as unsaved until it is written back
    if (doc?.isDirty && doc.getText().replace(/\r\n/g, '\n') === (disk?.text ?? '') && !(await doc.save()) && doc.isDirty) {
      throw new Error(`Could not revert ${this.captionUri.fsPath}: VS Code refused to mark its text as the file's (if the file changed on disk meanwhile, revert again).`);
    }
  }

  /** Reads the caption file's state: the TextDocument when editable, else a snapshot of the text. */
  private async attach(): Promise<void> {
    let disk;
    this.encodingProblem = undefined;
    try {
      disk = await readCaption(this.captionUri.fsPath, this.boundary);
    } catch (err) {
      // Checked before VS Code opens the file: a caption that is not UTF-8, not a regular file or
      // a link leading out of the dataset is never shown as text, nor rewritten.
      this.encodingProblem = (err as Error).message;
      this.fileExists = true;
      this.textDocument = undefined;
      this.pendingText = '';
      return;
    }
    this.fileExists = disk !== undefined;
    if (!disk) {
      if (this.textDocument && !this.textDocument.isDirty) this.textDocument = undefined;
      if (!this.editable) this.pendingText = '';
      return;
    }
    if (this.editable) {
      this.textDocument = await vscode.workspace.openTextDocument(this.captionUri);
      this.pendingText = '';
    } else {
      this.textDocument = undefined;
      this.pendingText = disk.text;
    }
  }

  private async liveTextDocument(): Promise<vscode.TextDocument | undefined> {
    if (this.textDocument?.isClosed) this.textDocument = undefined;
    // a caption that cannot be read is not a missing one: the edit fails rather than starting a new file
    if (!this.textDocument && !this.pendingText && (await readCaption(this.captionUri.fsPath, this.boundary)) !== undefined) {
      this.fileExists = true;
      this.textDocument = await vscode.workspace.openTextDocument(this.captionUri);
    }
    return this.textDocument;
  }

  private emitIfNew(text: string): void {
    const normalized = text.replace(/\r\n/g, '\n');
    if (normalized !== this.shownText) {
      this.shownText = normalized;
      this.changeEmitter.fire(normalized);
    }
  }

  /** Disposes `disposable` with this document (the second caption it carries). */
  disposeWith(disposable: vscode.Disposable): void {
    this.disposables.push(disposable);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Position of an offset in '\n'-normalized text, mapped onto a document that may use CRLF. */
function positionAt(doc: vscode.TextDocument, normalized: string, offset: number): vscode.Position {
  let line = 0;
  let lineStart = 0;
  for (let i = normalized.indexOf('\n'); i >= 0 && i < offset; i = normalized.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return doc.validatePosition(new vscode.Position(line, offset - lineStart));
}
