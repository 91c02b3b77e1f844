import * as vscode from 'vscode';
import type { DatasetIndex } from '../core/dataset/datasetIndex';
import type { FolderNode } from '../core/dataset/types';
import { removeTags, renameTag } from '../core/edits/tagEdits';
import { planApplyTagRules } from '../core/tagging/tagRuleCheck';
import type { BulkEditService } from '../services/bulkEditService';
import type { DatasetService } from '../services/datasetService';
import { showInformation, showWarning } from '../services/notifications';
import { labelText } from '../services/plainText';
import { addTagRule, readTagRules, TagRuleChange } from '../services/tagRulesSetting';
import type { DatasetTreeNode, DatasetTreeProvider } from '../views/datasetTreeProvider';
import { MAX_TAG_ROWS, TagNode, TagsTreeProvider } from '../views/tagsTreeProvider';
import { bulkEditRunner, EditOutcome } from './bulkEditRun';
import { updateViewTitle } from './datasetCommands';
import type { ScopePicker } from './scopePicker';

/** What the Tags view's commands need. */
export interface TagCommandDeps {
  readonly dataset: DatasetService;
  readonly datasetTree: DatasetTreeProvider;
  readonly datasetView: vscode.TreeView<DatasetTreeNode>;
  readonly tags: TagsTreeProvider;
  readonly tagsView: vscode.TreeView<TagNode>;
  readonly scopes: ScopePicker;
  readonly bulk: BulkEditService;
  readonly unsavedText: (captionPath: string) => string | undefined;
}

/** Arguments a test (or another extension) passes instead of a Tags view row: the tag, and what the prompts would ask. */
export interface TagCommandArgs {
  readonly tag: string;
  /** Rename Everywhere: the new name. */
  readonly to?: string;
  /** Add to Required Tags: the folder pattern. */
  readonly folder?: string;
  /** Applies without waiting for the notification's Apply button (the preview still opens). */
  readonly autoApply?: boolean;
}

/** The filter-language term for exactly this tag: quoted, a backslash before `"` and `\` (see the query tokenizer). */
export function tagFilterTerm(tag: string): string {
  return `tag:"${tag.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The Tags view's title buttons and context menu, and Apply Tag Rules. */
export function registerTagCommands(deps: TagCommandDeps): vscode.Disposable[] {
  const { dataset, datasetTree, datasetView, tags, tagsView, scopes } = deps;
  const { sourcesOf, run } = bulkEditRunner(dataset, deps.bulk, deps.unsavedText);
  const argsOf = (arg: unknown): TagCommandArgs | undefined =>
    arg && typeof arg === 'object' && typeof (arg as TagCommandArgs).tag === 'string' ? (arg as TagCommandArgs) : undefined;
  const tagOf = (arg: unknown): string | undefined => argsOf(arg)?.tag ?? (typeof arg === 'string' ? arg : undefined);
  const updateTitle = (): void => {
    const scope = tags.scopeQuery ? `filter "${tags.scopeQuery}"` : '';
    const search = tags.search ? `search "${tags.search}"` : '';
    tagsView.description = [search, scope].filter(Boolean).join(' · ') || undefined;
    tagsView.title = `Tags (${tags.tagCount.toLocaleString('en-US')})`;
    void tags.rows().then((rows) => {
      tagsView.message = rows.length > MAX_TAG_ROWS ? `Showing the first ${MAX_TAG_ROWS.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} tags: search to narrow.` : undefined;
    });
  };
  tags.onDidRecount = updateTitle;
  if (tagsView.visible) void dataset.whenReady().then(() => (tags.visible = true));
  const allImages = async (): Promise<DatasetIndex> => {
    await dataset.whenReady();
    if (!dataset.index) throw new Error('Open a dataset folder with images first.');
    return dataset.index;
  };
  const addRule = async (change: TagRuleChange, what: string): Promise<void> => {
    const added = await addTagRule(change);
    void showInformation(added ? `"${change.tag}" added to ${what} (imageCaptioner.tagRules).` : `"${change.tag}" is already in ${what}.`);
  };

  return [
    vscode.commands.registerCommand('imageCaptioner.tags.sortByCount', () => tags.setSort('count')),
    vscode.commands.registerCommand('imageCaptioner.tags.sortByName', () => tags.setSort('name')),
    vscode.commands.registerCommand('imageCaptioner.tags.search', async (text?: string) => {
      const value = typeof text === 'string' ? text : await vscode.window.showInputBox({ title: 'Search tags', prompt: 'Tags containing this text (empty shows all)', value: tags.search });
      if (value !== undefined) tags.setSearch(value);
    }),
    vscode.commands.registerCommand('imageCaptioner.tags.clearSearch', () => tags.setSearch('')),
    vscode.commands.registerCommand('imageCaptioner.tags.showInDataset', async (arg?: unknown) => {
      const tag = tagOf(arg);
      if (!tag) return;
      await datasetTree.setFilter(tagFilterTerm(tag));
      updateViewTitle(dataset, datasetTree, datasetView);
      await vscode.commands.executeCommand('imageCaptioner.dataset.focus');
    }),
    vscode.commands.registerCommand('imageCaptioner.tags.rename', async (arg?: unknown): Promise<EditOutcome> => {
      const from = tagOf(arg);
      if (!from) return { kind: 'declined' };
      const to = argsOf(arg)?.to ?? (await vscode.window.showInputBox({ title: `Rename "${from}" everywhere to`, value: from }));
      if (!to || to === from) return { kind: 'declined' };
      const sources = await sourcesOf((await allImages()).images());
      return run(() => renameTag(sources, { from, to }), argsOf(arg)?.autoApply);
    }),
    vscode.commands.registerCommand('imageCaptioner.tags.remove', async (arg?: unknown): Promise<EditOutcome> => {
      const tag = tagOf(arg);
      if (!tag) return { kind: 'declined' };
      const sources = await sourcesOf((await allImages()).images());
      return run(() => removeTags(sources, { tags: [tag] }), argsOf(arg)?.autoApply);
    }),
    vscode.commands.registerCommand('imageCaptioner.tags.setAlwaysFirst', async (arg?: unknown) => {
      const tag = tagOf(arg);
      if (tag) await addRule({ kind: 'alwaysFirst', tag }, 'the always-first tags');
    }),
    vscode.commands.registerCommand('imageCaptioner.tags.addBanned', async (arg?: unknown) => {
      const tag = tagOf(arg);
      if (tag) await addRule({ kind: 'banned', tag }, 'the banned tags');
    }),
    vscode.commands.registerCommand('imageCaptioner.tags.addRequired', async (arg?: unknown) => {
      const tag = tagOf(arg);
      if (!tag) return;
      const folder = argsOf(arg)?.folder ?? (await pickFolderPattern(dataset));
      if (folder !== undefined) await addRule({ kind: 'required', tag, folder }, `the tags required in "${folder}"`);
    }),
    vscode.commands.registerCommand('imageCaptioner.applyTagRules', async (arg?: unknown, args?: unknown): Promise<EditOutcome> => {
      const { rules, problems } = readTagRules();
      if (problems.length) void showWarning(problems.join(' '));
      if (rules.isEmpty) {
        void showInformation('No tag rules yet: set imageCaptioner.tagRules, or use the Tags view\'s context menu.');
        return { kind: 'declined' };
      }
      const autoApply = Boolean(arg && typeof arg === 'object' && (arg as { autoApply?: boolean }).autoApply);
      const scope = autoApply ? { images: (await allImages()).images() } : await scopes.pick('Apply tag rules', arg, args);
      if (!scope) return { kind: 'declined' };
      const sources = await sourcesOf(scope.images);
      return run(() => planApplyTagRules(sources, rules), autoApply);
    }),
    tagsView.onDidChangeVisibility((e) => {
      if (!e.visible) tags.visible = false;
      else void dataset.whenReady().then(() => (tags.visible = true));
    }),
  ];
}

/** Asks which folders a required tag is for: every folder, or one of the dataset's (with its subfolders). */
async function pickFolderPattern(dataset: DatasetService): Promise<string | undefined> {
  const index = dataset.index;
  const folders: string[] = [];
  const walk = (node: FolderNode): void => {
    if (node.relPath) folders.push(node.relPath);
    for (const sub of node.subfolders) walk(sub);
  };
  if (index) walk(index.root);
  const picked = await vscode.window.showQuickPick(
    [{ label: 'Every folder', pattern: '*' }, ...folders.slice(0, 1000).map((f) => ({ label: labelText(f), description: 'and its subfolders', pattern: f }))],
    { title: 'Required in which folders?' },
  );
  return picked?.pattern;
}
