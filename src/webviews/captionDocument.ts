import * as vscode from 'vscode';
import { readCaption, writeCaption } from '../core/captions/captionStore';

/**
 * The caption being edited beside an image. Its model is the caption file's TextDocument, so
 * other editors of the file, dirty state and external changes stay in step; until the file
 * exists the text lives here, and the file is created by the first save.
 */
export class CaptionDocument implements vscode.CustomDocument {
  private textDocument?: vscode.TextDocument;
  private pendingText = '';
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  /** Text the webview already shows; changes equal to it are not echoed back. */
  shownText = '';

  /** Fires with the new text when the caption changes for any reason but the webview's own edits. */
  readonly onDidChangeText = this.changeEmitter.event;

  private constructor(
    readonly uri: vscode.Uri,
    readonly captionUri: vscode.Uri,
    /** Why the caption may not be edited here; undefined when it may. */
    readonly readOnlyReason: string | undefined,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.textDocument && e.contentChanges.length > 0) this.emitIfNew(e.document.getText());
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc === this.textDocument) this.textDocument = undefined;
      }),
    );
  }

  /** Opens the caption of `imageUri`, checking that it is UTF-8 before VS Code decodes it. */
  static async open(imageUri: vscode.Uri, captionUri: vscode.Uri, collisionWarning?: string): Promise<CaptionDocument> {
    let readOnlyReason = collisionWarning;
    let exists = false;
    try {
      exists = (await readCaption(captionUri.fsPath)) !== undefined;
    } catch (err) {
      readOnlyReason = (err as Error).message;
    }
    const doc = new CaptionDocument(imageUri, captionUri, readOnlyReason);
    if (exists && !readOnlyReason) {
      doc.textDocument = await vscode.workspace.openTextDocument(captionUri);
    } else if (exists) {
      doc.pendingText = await readCaption(captionUri.fsPath).then((c) => c?.text ?? '', () => '');
    }
    doc.shownText = doc.text;
    return doc;
  }

  get text(): string {
    return this.textDocument ? this.textDocument.getText().replace(/\r\n/g, '\n') : this.pendingText;
  }

  get exists(): boolean {
    return this.textDocument !== undefined;
  }

  get editable(): boolean {
    return this.readOnlyReason === undefined;
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
      if (doc.isDirty && !(await doc.save())) throw new Error(`Could not save ${this.captionUri.fsPath}`);
      return;
    }
    await writeCaption(this.captionUri.fsPath, this.pendingText);
    this.textDocument = await vscode.workspace.openTextDocument(this.captionUri);
  }

  /** Throws away unsaved changes: back to the text on disk (or none). */
  async revert(): Promise<void> {
    const disk = await readCaption(this.captionUri.fsPath).catch(() => undefined);
    await this.setText(disk?.text ?? '');
    const doc = this.textDocument;
    if (doc?.isDirty && doc.getText().replace(/\r\n/g, '\n') === (disk?.text ?? '')) await doc.save();
  }

  /** Switches to the caption file once something else created it and nothing is pending here. */
  async adoptFileIfCreated(): Promise<void> {
    if (this.textDocument || this.pendingText || !this.editable) return;
    const disk = await readCaption(this.captionUri.fsPath).catch(() => undefined);
    if (disk === undefined) return;
    this.textDocument = await vscode.workspace.openTextDocument(this.captionUri);
    this.emitIfNew(this.text);
  }

  private async liveTextDocument(): Promise<vscode.TextDocument | undefined> {
    if (!this.textDocument || this.textDocument.isClosed) {
      this.textDocument = undefined;
      const disk = await readCaption(this.captionUri.fsPath).catch(() => undefined);
      if (disk !== undefined && !this.pendingText) this.textDocument = await vscode.workspace.openTextDocument(this.captionUri);
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

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The single replacement that turns `before` into `after`: common prefix and suffix kept. */
export function minimalChange(before: string, after: string): { start: number; endOld: number; inserted: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endOld = before.length;
  let endNew = after.length;
  while (endOld > start && endNew > start && before.charCodeAt(endOld - 1) === after.charCodeAt(endNew - 1)) {
    endOld--;
    endNew--;
  }
  // Never cut a surrogate pair in two.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (endOld < before.length && isLowSurrogate(before.charCodeAt(endOld))) {
    endOld++;
    endNew++;
  }
  return { start, endOld, inserted: after.slice(start, endNew) };
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

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
