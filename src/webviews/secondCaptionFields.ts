import * as vscode from 'vscode';
import * as path from 'node:path';
import { CaptionDocument } from './captionDocument';
import { captionInfo } from './captionEditorState';
import { textUndoStep } from './textUndoStep';
import type { ToWebviewMessage } from './protocol/captionEditorMessages';
import { writeCaption } from '../core/captions/captionStore';
import type { DatasetBoundary } from '../core/files/datasetBoundary';

/** Where the second caption's hot-exit backup goes: beside the caption's, which VS Code names and keeps. */
export function secondBackupOf(captionBackup: vscode.Uri): vscode.Uri {
  return captionBackup.with({ path: `${captionBackup.path}.second` });
}

/** What the second caption fields need from the caption editor: its messages, its undo stack, its queue. */
export interface SecondCaptionHost {
  post(doc: CaptionDocument, message: ToWebviewMessage): void;
  fireEdit(event: vscode.CustomDocumentEditEvent<CaptionDocument>): void;
  /** Ends the caption field's typing burst: its next keystroke starts a new undo step. */
  endCaptionBurst(doc: CaptionDocument): void;
  enqueue(doc: CaptionDocument, work: () => Promise<void>): void;
}

/**
 * The second caption of each open caption editor (imageCaptioner.secondCaption.extension): a
 * CaptionDocument of its own file, so its text, dirty state and external changes are its own. Its
 * edits are undo steps of the editor's custom document that set only the second caption's text.
 */
export class SecondCaptionFields {
  private readonly fields = new Map<CaptionDocument, CaptionDocument>();
  /** The time of the last keystroke in each second field: keystrokes close together form one undo step. */
  private readonly bursts = new WeakMap<CaptionDocument, number>();

  constructor(private readonly host: SecondCaptionHost, private readonly typingBurstMs: number) {}

  /** Opens the second caption at `secondPath` for `doc` (none when the dataset has no second captions); read-only for the same reasons as the caption. */
  async open(doc: CaptionDocument, secondPath: string | undefined, collision: string | undefined): Promise<void> {
    if (!secondPath) return;
    const second = await CaptionDocument.open(doc.uri, vscode.Uri.file(secondPath), doc.boundary, collision);
    second.onDidChangeText((text) => this.host.post(doc, { type: 'secondCaptionChanged', text }));
    this.fields.set(doc, second);
    doc.disposeWith({ dispose: () => this.close(doc) });
  }

  /** Watches the second caption file for changes made outside VS Code while the editor is open. */
  watch(doc: CaptionDocument): vscode.Disposable | undefined {
    const second = this.fields.get(doc);
    if (!second) return undefined;
    const file = second.captionUri.fsPath;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
    const sync = (): void => this.host.enqueue(doc, async () => {
      const wasEditable = second.editable;
      await second.syncFromDisk();
      if (wasEditable !== second.editable || !second.editable) this.postInfo(doc);
    });
    watcher.onDidCreate(sync);
    watcher.onDidChange(sync);
    watcher.onDidDelete(sync);
    return watcher;
  }

  /** Sends the field to a webview that just loaded (nothing when the editor has no second caption). */
  postInfo(doc: CaptionDocument): void {
    const second = this.fields.get(doc);
    if (!second) return;
    second.shownText = second.text;
    this.host.post(doc, { type: 'secondCaption', caption: captionInfo(second) });
  }

  /** Applies the webview's text as the smallest edit of the second caption: one undo step per typing burst. */
  async edit(doc: CaptionDocument, text: string): Promise<void> {
    const second = this.fields.get(doc);
    if (!second) return;
    const before = second.text;
    if (before === text || !second.editable) return;
    second.shownText = text;
    if (!(await second.setText(text))) return;
    const now = Date.now();
    const last = this.bursts.get(second);
    this.bursts.set(second, now);
    if (last !== undefined && now - last < this.typingBurstMs) return;
    // A step of this field on top of one of the caption: typing back in the caption must start a step above it.
    this.host.endCaptionBurst(doc);
    this.host.fireEdit(textUndoStep(doc, before, 'Edit second caption', () => this.bursts.delete(second), second));
  }

  /** Ends the second field's typing burst (the caption field got a step of its own). */
  endBurst(doc: CaptionDocument): void {
    const second = this.fields.get(doc);
    if (second) this.bursts.delete(second);
  }

  /** Saves the second caption when it has unsaved text: a file nobody typed into is never created. */
  async save(doc: CaptionDocument): Promise<void> {
    const second = this.fields.get(doc);
    if (!second) return;
    this.bursts.delete(second);
    const existed = second.exists;
    if (second.isDirty) await second.save();
    if (!existed && second.exists) this.postInfo(doc);
  }

  /** Writes the second caption's unsaved text to `destination` for hot exit; false when it has none (nothing written). */
  async backup(doc: CaptionDocument, destination: vscode.Uri): Promise<boolean> {
    const second = this.fields.get(doc);
    if (!second?.isDirty) return false;
    await vscode.workspace.fs.writeFile(destination, Buffer.from(second.text, 'utf8'));
    return true;
  }

  /** Puts the text of a hot-exit backup into the second caption (unsaved, as it was). */
  async restore(doc: CaptionDocument, text: string): Promise<void> {
    await this.fields.get(doc)?.setText(text);
  }

  /** The second caption of an open editor's document, if it has one. */
  documentOf(doc: CaptionDocument): CaptionDocument | undefined {
    return this.fields.get(doc);
  }

  /** "Save As" of the image: the second caption goes beside the copy too, when it has text. */
  async saveAs(doc: CaptionDocument, secondPath: string | undefined, boundary: DatasetBoundary): Promise<void> {
    const second = this.fields.get(doc);
    if (second && secondPath && second.text !== '') await writeCaption(secondPath, second.text, boundary);
  }

  async revert(doc: CaptionDocument): Promise<void> {
    const second = this.fields.get(doc);
    if (!second) return;
    this.bursts.delete(second);
    await second.revert();
  }

  /** Follows the caption's collision state (a clash makes both captions read-only); tells the webview when it changed. */
  async setCollision(doc: CaptionDocument, collision: string | undefined): Promise<void> {
    const second = this.fields.get(doc);
    if (second && (await second.setCollision(collision))) this.postInfo(doc);
  }

  /** Whether `captionPath` is the second caption of an open editor and has unsaved text there. */
  hasUnsaved(captionPath: string): boolean {
    return [...this.fields.values()].some((second) => second.captionUri.fsPath === captionPath && second.isDirty);
  }

  /** Whether the editor of `doc` has a second caption. */
  has(doc: CaptionDocument): boolean {
    return this.fields.has(doc);
  }

  private close(doc: CaptionDocument): void {
    this.fields.get(doc)?.dispose();
    this.fields.delete(doc);
  }
}
