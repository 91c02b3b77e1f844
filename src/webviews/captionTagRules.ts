/**
 * The tag rules (imageCaptioner.tagRules) beside the caption editor's text: the banned tags it has,
 * the required tags it lacks and tags out of rule order, each with its one-click fix. The same check
 * as the Problems view (checkTagRules), computed again on the text being edited, unsaved or not.
 */
import * as vscode from 'vscode';
import type { CaptionSource, EditPlan } from '../core/edits/editPlan';
import { checkTagRules, planTagRuleFix, type TagRuleFix, type TagRuleProblem } from '../core/tagging/tagRuleCheck';
import type { CompiledTagRules } from '../core/tagging/tagRules';
import { applyEdits } from '../core/lint/textEdits';
import type { DatasetService } from '../services/datasetService';
import { affectsTagRules, readTagRules } from '../services/tagRulesSetting';
import type { TagRuleNote } from './protocol/captionEditorMessages';

export class CaptionTagRules implements vscode.Disposable {
  private rules: CompiledTagRules = readTagRules().rules;
  private readonly listener: vscode.Disposable;

  /** `onRulesChanged` runs when the setting changes, so open editors can show the new notes. */
  constructor(
    private readonly dataset: DatasetService,
    onRulesChanged: () => void,
  ) {
    this.listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!affectsTagRules(event)) return;
      this.rules = readTagRules().rules;
      onRulesChanged();
    });
  }

  /** The notes shown under the caption of `imagePath` with `text` (none for prose or an image outside the dataset). */
  notes(imagePath: string, text: string): TagRuleNote[] {
    return this.problems(imagePath, text).map((p) => ({ kind: p.kind, message: p.message, fixTitle: p.fix.title }));
  }

  /** The text after the fix of note `index`, as the notes of this same text numbered it; undefined when that note is gone. */
  fixed(imagePath: string, text: string, index: number, message: string): string | undefined {
    const problem = this.problems(imagePath, text)[index];
    // the webview's note may be older than the text: apply it only when it still says the same
    if (!problem || problem.message !== message) return undefined;
    return applyEdits(text, problem.fix.edits);
  }

  dispose(): void {
    this.listener.dispose();
  }

  /** Whether no rule is set (nothing to check). */
  get isEmpty(): boolean {
    return this.rules.isEmpty;
  }

  /** The rule problems of the caption `text` of `imagePath` (none for prose or an image outside the dataset). */
  problems(imagePath: string, text: string): TagRuleProblem[] {
    const folder = this.folderOf(imagePath);
    if (this.rules.isEmpty || folder === undefined) return [];
    return checkTagRules(text, this.rules, folder);
  }

  /** The bulk edit that applies one fix (remove a banned tag, add a required one) to every caption of `sources` it concerns. */
  planFix(sources: readonly CaptionSource[], fix: TagRuleFix): EditPlan {
    return planTagRuleFix(sources, this.rules, (source) => this.folderOf(source.imagePath) ?? '', fix);
  }

  /** The dataset-relative folder of an image ('' the root); undefined outside the dataset. */
  private folderOf(imagePath: string): string | undefined {
    const rel = this.dataset.index?.relativePath(imagePath);
    if (rel === undefined) return undefined;
    const slash = rel.lastIndexOf('/');
    return slash === -1 ? '' : rel.slice(0, slash);
  }
}
