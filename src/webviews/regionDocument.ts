import * as vscode from 'vscode';
import * as path from 'node:path';
import { minimalChange } from '../core/captions/minimalChange';
import type { DatasetBoundary } from '../core/files/datasetBoundary';
import { readRegularFile } from '../core/files/regularFile';
import { MAX_REGIONS_BYTES, RegionsSidecar, writeRegions } from '../core/regions/regionsSidecar';
import { formatRegions, parseRegionsText } from '../core/regions/regionsText';
import type { RegionsProblem, RegionsState } from './protocol/regionEditorMessages';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The regions of one image, edited beside it. The model is the sidecar's TextDocument, so VS
 * Code's undo, dirty state, save and other editors of the file stay in step; until the file
 * exists the regions live here and the first save creates it. A sidecar that is malformed or
 * cannot be read is shown with why and is never written.
 */
export class RegionDocument implements vscode.CustomDocument {
  private textDocument?: vscode.TextDocument;
  /** The sidecar while there is no file: unsaved regions drawn on an image without one. */
  private pending?: RegionsSidecar;
  private fileExists = false;
  /** Why the file cannot be used at all (not a regular file, outside the dataset, not UTF-8, too large). */
  private unreadable?: string;
  /** The file's text after VS Code closed its TextDocument (reopened on the next edit). */
  private closedText?: string;
  private parsed?: { readonly key: number | string; readonly result: ReturnType<typeof parseRegionsText> };
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];

  /** Fires when the regions change for any reason (edits, undo, the file changed on disk). */
  readonly onDidChange = this.changeEmitter.event;

  private constructor(
    readonly uri: vscode.Uri,
    readonly regionsUri: vscode.Uri,
    readonly boundary: DatasetBoundary,
    private readonly imageSize: { readonly width: number; readonly height: number },
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.textDocument && e.contentChanges.length > 0) this.changeEmitter.fire();
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        // VS Code may close a document no editor shows; its text stays what the file holds
        if (doc === this.textDocument) {
          this.closedText = doc.getText();
          this.textDocument = undefined;
        }
      }),
    );
  }

  /** Opens the regions of `imageUri` (pixel size `imageSize`, used for a new sidecar), read and written only inside `boundary`. */
  static async open(imageUri: vscode.Uri, regionsUri: vscode.Uri, boundary: DatasetBoundary, imageSize: { width: number; height: number }): Promise<RegionDocument> {
    const doc = new RegionDocument(imageUri, regionsUri, boundary, imageSize);
    await doc.attach();
    return doc;
  }

  /** The regions as they are now (none while the sidecar cannot be used). */
  get sidecar(): RegionsSidecar {
    const parsed = this.parse();
    if (parsed?.ok) return parsed.sidecar;
    return this.pending ?? this.emptySidecar();
  }

  /** Why the sidecar may not be changed here; undefined when it may. */
  get problem(): RegionsProblem | undefined {
    if (this.unreadable) return { message: this.unreadable };
    const parsed = this.parse();
    if (parsed && !parsed.ok) return { message: parsed.message, line: parsed.line, column: parsed.column };
    return undefined;
  }

  get editable(): boolean {
    return this.problem === undefined;
  }

  get exists(): boolean {
    return this.fileExists;
  }

  /** The state the webview shows. */
  state(): RegionsState {
    return { regions: this.sidecar.regions, fileName: path.basename(this.regionsUri.fsPath), exists: this.fileExists, editable: this.editable, problem: this.problem };
  }

  /** The text that would be on disk for the current regions (what undo and redo restore). */
  get text(): string {
    return this.textDocument?.getText() ?? this.closedText ?? formatRegions(this.pending ?? this.emptySidecar());
  }

  /** Replaces the regions with the smallest text edit; false when refused (read-only, or VS Code refused the edit). */
  async setSidecar(sidecar: RegionsSidecar): Promise<boolean> {
    if (!this.editable) return false;
    return this.setText(formatRegions(sidecar));
  }

  /** Puts `text` (a formatted sidecar) back: what undo and redo do. */
  async setText(text: string): Promise<boolean> {
    if (this.unreadable) return false;
    const doc = await this.liveTextDocument();
    if (!doc) {
      const parsed = parseRegionsText(text);
      this.pending = parsed.ok ? parsed.sidecar : undefined;
      this.changeEmitter.fire();
      return true;
    }
    const current = doc.getText();
    if (current === text) return true;
    const edit = new vscode.WorkspaceEdit();
    const { start, endOld, inserted } = minimalChange(current, text);
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(endOld)), inserted);
    return vscode.workspace.applyEdit(edit);
  }

  /** Text not yet on disk. */
  get isDirty(): boolean {
    return this.textDocument ? this.textDocument.isDirty : !this.fileExists && (this.pending?.regions.length ?? 0) > 0;
  }

  /** Saves through VS Code when the file exists, else creates it with the one sidecar writer. */
  async save(): Promise<void> {
    if (!this.editable) return;
    const doc = await this.liveTextDocument();
    if (doc) {
      if (doc.isDirty && !(await doc.save())) throw new Error(`Could not save ${this.regionsUri.fsPath}`);
      return;
    }
    if (!this.pending) return;
    await writeRegions(this.regionsUri.fsPath, this.pending, this.boundary);
    this.fileExists = true;
    this.pending = undefined;
    this.textDocument = await vscode.workspace.openTextDocument(this.regionsUri);
    this.changeEmitter.fire();
  }

  /** Back to the file on disk (or no regions when there is none); a file that cannot be read now fails the revert and keeps the edits. */
  async revert(): Promise<void> {
    const bytes = await readRegularFile(this.regionsUri.fsPath, MAX_REGIONS_BYTES, this.boundary);
    const disk = bytes === undefined ? '' : utf8.decode(bytes);
    this.pending = undefined;
    const doc = await this.liveTextDocument();
    if (!doc) {
      await this.attach();
      this.changeEmitter.fire();
      return;
    }
    await this.setText(disk);
    if (doc.isDirty && doc.getText() === disk) await doc.save();
  }

  /** Catches up with the file after a change on disk (created, changed, deleted); unsaved regions are never replaced. */
  async syncFromDisk(): Promise<void> {
    if (this.isDirty) return;
    await this.attach();
    this.changeEmitter.fire();
  }

  /** Reads the file's state: checked by our own bounded read before VS Code opens it as text. */
  private async attach(): Promise<void> {
    this.unreadable = undefined;
    let bytes: Buffer | undefined;
    try {
      bytes = await readRegularFile(this.regionsUri.fsPath, MAX_REGIONS_BYTES, this.boundary);
      if (bytes) utf8.decode(bytes);
    } catch (err) {
      this.unreadable = `${path.basename(this.regionsUri.fsPath)} cannot be used: ${(err as Error).message}. It is left as it is.`;
      this.fileExists = true;
      this.textDocument = undefined;
      return;
    }
    this.fileExists = bytes !== undefined;
    this.closedText = undefined;
    this.textDocument = bytes !== undefined ? await vscode.workspace.openTextDocument(this.regionsUri) : undefined;
  }

  private async liveTextDocument(): Promise<vscode.TextDocument | undefined> {
    if (this.textDocument?.isClosed) this.textDocument = undefined;
    if (!this.textDocument && this.closedText !== undefined) {
      this.textDocument = await vscode.workspace.openTextDocument(this.regionsUri);
      this.closedText = undefined;
    }
    return this.textDocument;
  }

  private parse(): ReturnType<typeof parseRegionsText> | undefined {
    if (this.unreadable) return undefined;
    const doc = this.textDocument;
    const key = doc ? doc.version : this.closedText;
    if (key === undefined) return undefined;
    if (this.parsed?.key !== key) this.parsed = { key, result: parseRegionsText(doc ? doc.getText() : this.closedText!) };
    return this.parsed.result;
  }

  private emptySidecar(): RegionsSidecar {
    return { version: 1, image: { width: this.imageSize.width, height: this.imageSize.height }, regions: [] };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
