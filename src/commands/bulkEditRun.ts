import * as vscode from 'vscode';
import { readCaptionSources } from '../core/captions/readCaptions';
import { CaptionSource, EditOptionError, EditPlan } from '../core/edits/editPlan';
import { PatternCancelledError, PatternThreadError } from '../core/patterns/patternRunner';
import { ImageEntry } from '../core/dataset/types';
import { CaptionTarget, targetCaptionPath } from '../core/dataset/captionTarget';
import { BulkEditService } from '../services/bulkEditService';
import { DatasetService } from '../services/datasetService';
import { showError, showInformation, showWarning } from '../services/notifications';

/** How a bulk edit command ended; returned so that tests (and other extensions) can tell. */
export type EditOutcome =
  | { readonly kind: 'applied'; readonly changed: number; readonly conflicts: number }
  /** Nothing to change, or the user discarded the preview or a question. */
  | { readonly kind: 'declined' }
  /** The options could not make a plan; `message` is what the user was shown. */
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'cancelled' };

/** What every bulk edit command does: read the scope's captions, then plan, preview, apply and offer Undo. */
export interface BulkEditRunner {
  /** The captions (or second captions) of `images` as they are now: unsaved editor text wins over the file. */
  readonly sourcesOf: (images: readonly ImageEntry[], target?: CaptionTarget) => Promise<CaptionSource[]>;
  /** Preview, apply, report; option errors become a message. */
  readonly run: (makePlan: () => EditPlan | Thenable<EditPlan>, autoApply?: boolean) => Promise<EditOutcome>;
}

/** The read-plan-preview-apply steps shared by the edit commands and the Tags view. */
export function bulkEditRunner(dataset: DatasetService, bulk: BulkEditService, unsavedText: (captionPath: string) => string | undefined): BulkEditRunner {
  const sourcesOf = async (images: readonly ImageEntry[], target: CaptionTarget = 'caption'): Promise<CaptionSource[]> => {
    const index = dataset.index!;
    // Two images of one stem share a caption file: it is planned once.
    const seen = new Set<string>();
    // A second caption of an image in a collision may be another image's caption: it is left out.
    const pairs = images
      .filter((img) => target === 'caption' || !img.collision)
      .map((img) => ({ imagePath: index.imagePath(img), captionPath: targetCaptionPath(index, img, target) }))
      .filter((p) => !seen.has(p.captionPath) && Boolean(seen.add(p.captionPath)));
    const { sources, failures } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Reading captions' }, () => readCaptionSources(pairs, index.boundary));
    if (failures.length) void showWarning(`${failures.length} caption(s) left out: ${failures.slice(0, 3).map((f) => f.message).join('; ')}${failures.length > 3 ? '; …' : ''}`);
    return sources.map((s) => ({ ...s, text: unsavedText(s.captionPath) ?? s.text }));
  };

  /** Preview, apply, report; option errors (a pattern that ran too long among them) become a message. */
  const run = async (makePlan: () => EditPlan | Thenable<EditPlan>, autoApply = false): Promise<EditOutcome> => {
    let plan: EditPlan;
    try {
      plan = await makePlan();
    } catch (err) {
      if (err instanceof PatternCancelledError) return { kind: 'cancelled' };
      if (err instanceof EditOptionError || err instanceof PatternThreadError) {
        void showError(err.message);
        return { kind: 'failed', message: err.message };
      }
      throw err;
    }
    if (plan.deletions.length && !autoApply) {
      const ok = await showWarning(`Delete ${plan.deletions.length} empty caption file(s)?`, { modal: true }, 'Delete');
      if (ok !== 'Delete') return { kind: 'declined' };
    }
    if (!(await bulk.preview(plan, autoApply))) return { kind: 'declined' };
    const { changed, conflicts } = await bulk.apply(plan);
    const tail = conflicts.length ? ` ${conflicts.length} caption(s) changed on disk since the preview were left alone.` : '';
    void showInformation(`${plan.operation}: ${changed} caption(s) changed.${tail}`, 'Undo').then((choice) => {
      if (choice === 'Undo') void vscode.commands.executeCommand('imageCaptioner.undoBulkEdit');
    });
    return { kind: 'applied', changed, conflicts: conflicts.length };
  };
  return { sourcesOf, run };
}
