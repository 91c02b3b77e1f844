import * as vscode from 'vscode';
import * as path from 'node:path';
import { readCaption } from '../core/captions/captionStore';
import type { DatasetBoundary } from '../core/files/datasetBoundary';
import { writeFileAtomic } from '../core/captions/atomicWrite';
import { decodeCaption } from '../core/captions/captionCodec';
import type { EditPlan } from '../core/edits/editPlan';
import { applyPlannedCaption, removeCaption } from '../core/edits/applyPlannedCaption';
import { DatasetService } from './datasetService';
import { diffListing } from './diffListing';
import type { VirtualDocuments } from './virtualDocuments';
import { showInformation } from './notifications';


/** What one applied plan changed, kept so that "Undo Last Bulk Edit" can put every byte back. */
interface AppliedEdit {
  readonly label: string;
  /** Each caption's bytes before (undefined: no file) and text after (undefined: deleted); edits made in open documents are VS Code's to undo. */
  readonly files: ReadonlyArray<{ readonly captionPath: string; readonly beforeBytes: Buffer | undefined; readonly after: string | undefined }>;
}

/**
 * Previews a plan as a diff listing, applies it (caption files written atomically in their own
 * format; captions open with unsaved changes edited in their documents), and undoes the last one.
 */
export class BulkEditService implements vscode.Disposable {
  private readonly registration: vscode.Disposable;
  private last?: AppliedEdit;
  private previewCount = 0;
  /** The preview waiting for Apply or Discard (title bar buttons, the notification, or closing it). */
  private pending?: { readonly uri: vscode.Uri; readonly decide: (apply: boolean) => void };

  constructor(
    private readonly dataset: DatasetService,
    private readonly documents: VirtualDocuments,
    private readonly isOpenUnsaved: (captionPath: string) => boolean,
  ) {
    this.registration = vscode.Disposable.from(
      vscode.commands.registerCommand('imageCaptioner.applyBulkEdit', () => this.pending?.decide(true)),
      vscode.commands.registerCommand('imageCaptioner.discardBulkEdit', () => this.pending?.decide(false)),
      // Closing the preview is a "no".
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        const pending = this.pending;
        if (pending && e.closed.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === pending.uri.toString())) pending.decide(false);
      }),
    );
  }

  /** Shows the plan beside the editor and asks to apply it; true when the user (or `autoApply`) says yes. */
  async preview(plan: EditPlan, autoApply = false): Promise<boolean> {
    const count = plan.changes.length + plan.deletions.length;
    if (count === 0) {
      void showInformation(`${plan.operation}: nothing to change.`);
      return false;
    }
    const uri = this.documents.show(`Preview ${++this.previewCount} - ${plan.operation}.diff`, diffListing(plan, (p) => this.relative(p)));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'diff');
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Active });
    const summary = `${plan.operation}: ${plan.changes.length} caption${plan.changes.length === 1 ? '' : 's'} change${plan.deletions.length ? `, ${plan.deletions.length} empty caption file(s) are deleted` : ''}. Apply?`;
    this.pending?.decide(false);
    const decision = new Promise<boolean>((resolve) => {
      this.pending = {
        uri,
        decide: (apply) => {
          if (this.pending?.uri === uri) this.pending = undefined;
          resolve(apply);
        },
      };
    });
    void vscode.commands.executeCommand('setContext', 'imageCaptioner.bulkEditPending', true);
    if (autoApply) this.pending?.decide(true);
    else void showInformation(summary, 'Apply', 'Discard').then((choice) => choice && this.pending?.uri === uri && this.pending.decide(choice === 'Apply'));
    const apply = await decision;
    void vscode.commands.executeCommand('setContext', 'imageCaptioner.bulkEditPending', false);
    this.documents.forget(uri);
    await closePreview(uri);
    return apply;
  }

  /** Writes the plan; returns how many files changed and the ones left alone (changed since planning). */
  async apply(plan: EditPlan): Promise<{ changed: number; conflicts: string[] }> {
    const boundary = this.boundary();
    const applied: Array<{ captionPath: string; beforeBytes: Buffer | undefined; after: string | undefined }> = [];
    const inDocuments: string[] = [];
    const conflicts: string[] = [];
    const documentEdit = new vscode.WorkspaceEdit();
    const targets = [
      ...plan.changes.map((c) => ({ captionPath: c.captionPath, stillAsPlanned: (disk: string | undefined) => disk === c.before, after: c.after as string | undefined })),
      ...plan.deletions.map((captionPath) => ({ captionPath, stillAsPlanned: (disk: string | undefined) => disk !== undefined && disk.trim() === '', after: undefined })),
    ];
    for (const { captionPath, stillAsPlanned, after } of targets) {
      if (this.isOpenUnsaved(captionPath)) {
        if (after === undefined) continue; // never delete a file someone is editing
        // The user's unsaved text is the caption: edit it in its document, where they will see it.
        const doc = await vscode.workspace.openTextDocument(captionPath);
        documentEdit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), after);
        inDocuments.push(captionPath);
        continue;
      }
      const outcome = await applyPlannedCaption(captionPath, stillAsPlanned, after, boundary);
      if (!outcome.applied) {
        conflicts.push(captionPath);
        continue;
      }
      applied.push({ captionPath, beforeBytes: outcome.beforeBytes, after });
    }
    if (documentEdit.size > 0) await vscode.workspace.applyEdit(documentEdit);
    this.last = { label: plan.operation, files: applied };
    const editedInDocuments = new Set(inDocuments);
    this.noteAll([...applied, ...plan.changes.filter((c) => editedInDocuments.has(c.captionPath))]);
    return { changed: applied.length + inDocuments.length, conflicts };
  }

  /** The open dataset's boundary: bulk edits only ever touch caption files inside it. */
  private boundary(): DatasetBoundary {
    const boundary = this.dataset.index?.boundary;
    if (!boundary) throw new Error('Open the dataset folder first.');
    return boundary;
  }

  get lastLabel(): string | undefined {
    return this.last?.label;
  }

  /** Puts back, byte for byte, every caption file the last plan wrote, unless it was changed again since. */
  async undoLast(): Promise<{ restored: number; skipped: string[]; label?: string }> {
    const last = this.last;
    if (!last) return { restored: 0, skipped: [] };
    const boundary = this.boundary();
    const skipped: string[] = [];
    const restored: Array<{ captionPath: string; after: string | undefined }> = [];
    for (const file of last.files) {
      const onDisk = await readCaption(file.captionPath, boundary).catch(() => null);
      if (onDisk === null || onDisk?.text !== file.after) {
        skipped.push(file.captionPath);
        continue;
      }
      if (file.beforeBytes === undefined) await removeCaption(file.captionPath, boundary);
      else await writeFileAtomic(file.captionPath, file.beforeBytes, boundary);
      restored.push({ captionPath: file.captionPath, after: file.beforeBytes ? decodeCaption(file.beforeBytes).text : undefined });
    }
    this.last = undefined;
    this.noteAll(restored);
    return { restored: restored.length, skipped, label: last.label };
  }

  private noteAll(files: ReadonlyArray<{ captionPath: string; after: string | undefined }>): void {
    const index = this.dataset.index;
    if (!index) return;
    const byCaption = new Map(index.images().map((img) => [index.captionPath(img), index.imagePath(img)] as const));
    for (const file of files) {
      const imagePath = byCaption.get(file.captionPath);
      if (imagePath) this.dataset.noteCaption(imagePath, file.after);
    }
  }

  private relative(file: string): string {
    return this.dataset.index?.relativePath(file) ?? path.basename(file);
  }

  dispose(): void {
    this.pending?.decide(false);
    this.registration.dispose();
  }
}

async function closePreview(uri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

