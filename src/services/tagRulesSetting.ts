import * as vscode from 'vscode';
import { tagKey } from '../core/edits/tagList';
import { CompiledTagRules, TagRules, tagRulesFromSetting } from '../core/tagging/tagRules';

/** The setting holding the tag rules. */
export const TAG_RULES_SETTING = 'imageCaptioner.tagRules';

/** The tag rules from settings, compiled, and what in the setting was ignored. */
export function readTagRules(): { rules: CompiledTagRules; problems: string[] } {
  const { rules, problems } = tagRulesFromSetting(vscode.workspace.getConfiguration().get<unknown>(TAG_RULES_SETTING), TAG_RULES_SETTING);
  return { rules: new CompiledTagRules(rules), problems };
}

export function affectsTagRules(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(TAG_RULES_SETTING);
}

/** A change to the rules, as the Tags view's context menu makes them. */
export type TagRuleChange =
  | { readonly kind: 'alwaysFirst'; readonly tag: string }
  | { readonly kind: 'banned'; readonly tag: string }
  | { readonly kind: 'required'; readonly tag: string; readonly folder: string };

/**
 * Adds a tag to the rules where the setting is defined most specifically (the workspace folder or
 * workspace when it has a value there or a folder is open, else the user settings); a tag already
 * listed is not added twice. Returns false when nothing changed.
 */
export async function addTagRule(change: TagRuleChange): Promise<boolean> {
  const config = vscode.workspace.getConfiguration();
  const inspected = config.inspect<unknown>(TAG_RULES_SETTING);
  const target = inspected?.workspaceValue !== undefined || vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const current = target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
  const { rules } = tagRulesFromSetting(current ?? {}, TAG_RULES_SETTING);
  const next = withRule(rules, change);
  if (!next) return false;
  // keep what the user wrote that the reader does not know (other keys), replace the known ones
  const raw = current && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
  await config.update(TAG_RULES_SETTING, { ...raw, ...next }, target);
  return true;
}

function withRule(rules: TagRules, change: TagRuleChange): Partial<TagRules> | undefined {
  const has = (list: readonly string[]): boolean => list.some((t) => tagKey(t) === tagKey(change.tag));
  switch (change.kind) {
    case 'alwaysFirst':
      return has(rules.alwaysFirst) ? undefined : { alwaysFirst: [...rules.alwaysFirst, change.tag] };
    case 'banned':
      return has(rules.banned) ? undefined : { banned: [...rules.banned, change.tag] };
    case 'required': {
      const list = rules.required[change.folder] ?? [];
      return has(list) ? undefined : { required: { ...rules.required, [change.folder]: [...list, change.tag] } };
    }
  }
}
