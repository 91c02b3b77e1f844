import * as vscode from 'vscode';
import type { TagRuleFix } from '../core/tagging/tagRuleCheck';
import { labelText } from '../services/plainText';
import type { SharedTagAction } from './protocol/galleryMessages';

/** Asks which of a caption's tag-rule fixes to run (tags are the dataset's text: shown literally, never as icons). */
export async function pickRuleFix(fixes: readonly TagRuleFix[]): Promise<TagRuleFix | undefined> {
  const picked = await vscode.window.showQuickPick(
    fixes.map((fix) => ({ label: labelText(fix.kind === 'banned-tag' ? `Remove the banned tag "${fix.tag}"` : `Add the required tag "${fix.tag}"`), fix })),
    { title: 'Fix the tag rules this caption breaks', placeHolder: 'One fix; it previews and undoes like the pane\'s' },
  );
  return picked?.fix;
}

/** Asks the new name of a shared tag; undefined when cancelled or blank. */
export async function askNewName(from: string): Promise<SharedTagAction | undefined> {
  const to = await vscode.window.showInputBox({ title: labelText(`Rename the tag "${from}" in the selected captions to`), value: from });
  return to === undefined || to.trim() === '' ? undefined : { kind: 'rename', from, to };
}
