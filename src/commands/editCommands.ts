import * as vscode from 'vscode';
import { CaptionSource, EditOptionError, EditPlan } from '../core/edits/editPlan';
import { FindOptions, FindReplaceOptions } from '../core/edits/findReplace';
import { PatternCancelledError, PatternRunner, PatternThreadError } from '../core/patterns/patternRunner';
import { normalize, NormalizeOptions } from '../core/edits/normalize';
import { addPrefixSuffix } from '../core/edits/prefixSuffix';
import { addTags, removeTags, renameTag } from '../core/edits/tagEdits';
import { dedupeTags, moveTagsToFront, sortTags } from '../core/edits/tagOrder';
import { splitTags } from '../core/captioning/prompts';
import { ImageEntry } from '../core/dataset/types';
import { BulkEditService } from '../services/bulkEditService';
import type { VirtualDocuments } from '../services/virtualDocuments';
import { DatasetService } from '../services/datasetService';
import { ScopePicker } from './scopePicker';
import { pickCaptionTarget } from './captionTargetPick';
import { CaptionTarget } from '../core/dataset/captionTarget';
import { captionStatistics } from '../core/edits/captionStatistics';
import { statisticsMarkdown } from '../core/edits/statisticsReport';
import { showInformation, withNotificationProgress } from '../services/notifications';
import { inputMessageText } from '../services/plainText';
import { bulkEditRunner, EditOutcome } from './bulkEditRun';

export type { EditOutcome } from './bulkEditRun';

/** Arguments a test or another extension can pass to skip the prompts (the preview is still shown); without `find`, it is asked for. */
export interface FindReplaceArgs extends Partial<FindOptions> {
  readonly replace?: string;
  readonly images?: readonly string[];
  /** Applies without waiting for the notification's Apply button (the preview still opens). */
  readonly autoApply?: boolean;
  /** Which caption file to edit when the dataset has second captions (asked when absent). */
  readonly target?: CaptionTarget;
}

/** Find/replace, prefix/suffix, tag operations and normalize: scoped, previewed, undoable; patterns run in `patterns`' thread. */
export function registerEditCommands(
  dataset: DatasetService,
  scopes: ScopePicker,
  bulk: BulkEditService,
  documents: VirtualDocuments,
  unsavedText: (captionPath: string) => string | undefined,
  patterns: PatternRunner,
): vscode.Disposable[] {
  const { sourcesOf, run } = bulkEditRunner(dataset, bulk, unsavedText);

  const imagesFrom = (paths: readonly string[] | undefined): ImageEntry[] | undefined =>
    paths && dataset.index ? paths.map((p) => dataset.index!.findImage(p)).filter((i): i is ImageEntry => Boolean(i)) : undefined;

  return [
    vscode.commands.registerCommand('imageCaptioner.findReplace', async (arg?: unknown, args?: unknown): Promise<EditOutcome> => {
      const given = arg && typeof arg === 'object' && ('find' in arg || 'images' in arg) ? (arg as FindReplaceArgs) : undefined;
      const images = imagesFrom(given?.images) ?? (await scopes.pick('Find and replace', arg, args))?.images;
      const target = images && (await pickCaptionTarget(dataset.index!, 'Find and replace', given?.target));
      if (!images || !target) return { kind: 'declined' };
      const sources = await sourcesOf(images, target);
      const options = given ? { regex: false, caseSensitive: false, wholeWord: false, ...given } : await askFindOptions();
      if (!options) return { kind: 'declined' };
      const find = given?.find ?? (await askFind(patterns, sources, options));
      if (find === undefined) return { kind: 'declined' };
      const replace = given?.replace ?? (await vscode.window.showInputBox({ title: `Replace "${find}" with`, prompt: options.regex ? '$1, $<name>, $& refer to the match' : undefined }));
      if (replace === undefined) return { kind: 'declined' };
      return run(() => planReplace(patterns, sources, { ...options, find, replace }), given?.autoApply);
    }),
    vscode.commands.registerCommand('imageCaptioner.addPrefixSuffix', async (arg?: unknown, args?: unknown) => {
      const scope = await scopes.pick('Add prefix / suffix', arg, args);
      const target = scope && (await pickCaptionTarget(dataset.index!, 'Add prefix / suffix'));
      if (!scope || !target) return;
      const prefix = await vscode.window.showInputBox({ title: 'Text added before each caption (empty for none)', prompt: 'A trigger word, e.g. "sks"; separators are handled, and captions that already start with it are left alone.' });
      if (prefix === undefined) return;
      const suffix = await vscode.window.showInputBox({ title: 'Text added after each caption (empty for none)' });
      if (suffix === undefined) return;
      const sources = await sourcesOf(scope.images, target);
      await run(() => addPrefixSuffix(sources, { prefix, suffix, skipIfPresent: true }));
    }),
    vscode.commands.registerCommand('imageCaptioner.editTags', async (arg?: unknown, args?: unknown) => {
      const scope = await scopes.pick('Edit tags', arg, args);
      const target = scope && (await pickCaptionTarget(dataset.index!, 'Edit tags'));
      if (!scope || !target) return;
      const keepFirstTag = vscode.workspace.getConfiguration('imageCaptioner').get<boolean>('tags.keepFirstTag', false);
      const op = await vscode.window.showQuickPick(TAG_OPERATIONS, { title: `Tag operation on ${scope.images.length} captions${keepFirstTag ? ' (the first tag stays in place)' : ''}` });
      if (!op) return;
      const sources = await sourcesOf(scope.images, target);
      const ask = async (title: string): Promise<string[] | undefined> => {
        const text = await vscode.window.showInputBox({ title, prompt: 'Comma-separated tags' });
        return text === undefined ? undefined : splitTags(text);
      };
      switch (op.id) {
        case 'add': {
          const tags = await ask('Tags to add');
          const where = tags && (await vscode.window.showQuickPick(['At the start', 'At the end'], { title: 'Where?' }));
          if (tags && where) await run(() => addTags(sources, { tags, position: where === 'At the start' ? 'start' : 'end', keepFirstTag }));
          return;
        }
        case 'remove': {
          const tags = await ask('Tags to remove (* matches anything)');
          if (tags) await run(() => removeTags(sources, { tags, keepFirstTag }));
          return;
        }
        case 'rename': {
          const from = await vscode.window.showInputBox({ title: 'Rename which tag?' });
          const to = from && (await vscode.window.showInputBox({ title: `Rename "${from}" to` }));
          if (from && to) await run(() => renameTag(sources, { from, to }));
          return;
        }
        case 'dedupe':
          return run(() => dedupeTags(sources));
        case 'sort-alpha':
          return run(() => sortTags(sources, { order: 'alpha', keepFirstTag }));
        case 'sort-frequency':
          return run(() => sortTags(sources, { order: 'frequency', keepFirstTag }));
        case 'front': {
          const tags = await ask('Tags to move to the front');
          if (tags) await run(() => moveTagsToFront(sources, { tags, keepFirstTag }));
          return;
        }
      }
    }),
    vscode.commands.registerCommand('imageCaptioner.normalizeCaptions', async (arg?: unknown, args?: unknown) => {
      const scope = await scopes.pick('Normalize captions', arg, args);
      const target = scope && (await pickCaptionTarget(dataset.index!, 'Normalize captions'));
      if (!scope || !target) return;
      const picked = await vscode.window.showQuickPick(NORMALIZE_OPTIONS, { title: 'Normalize how?', canPickMany: true });
      if (!picked?.length) return;
      const options: NormalizeOptions = Object.fromEntries(picked.map((p) => [p.id, true]));
      const sources = await sourcesOf(scope.images, target);
      await run(() => normalize(sources, options));
    }),
    vscode.commands.registerCommand('imageCaptioner.showStatistics', async (arg?: unknown, args?: unknown) => {
      const scope = await scopes.pick('Caption statistics', arg, args);
      const target = scope && (await pickCaptionTarget(dataset.index!, 'Caption statistics'));
      if (!scope || !target) return;
      const sources = await sourcesOf(scope.images, target);
      const uri = documents.show(`Statistics - ${scope.label}.md`, statisticsMarkdown(captionStatistics(sources), scope.label));
      await vscode.commands.executeCommand('markdown.showPreview', uri).then(undefined, () => vscode.window.showTextDocument(uri));
    }),
    vscode.commands.registerCommand('imageCaptioner.undoBulkEdit', async () => {
      const { restored, skipped, label } = await bulk.undoLast();
      if (!label) {
        void showInformation('No bulk edit to undo.');
        return;
      }
      const tail = skipped.length ? ` ${skipped.length} caption(s) changed since were left as they are.` : '';
      void showInformation(`Undid "${label}": ${restored} caption file(s) restored.${tail}`);
    }),
  ];
}

async function askFindOptions(): Promise<Omit<FindOptions, 'find'> | undefined> {
  const items = [
    { label: 'Regular expression', id: 'regex' as const },
    { label: 'Match case', id: 'caseSensitive' as const },
    { label: 'Whole word', id: 'wholeWord' as const },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Find options (none: plain text, any case)', canPickMany: true });
  if (!picked) return undefined;
  const on = new Set(picked.map((p) => p.id));
  return { regex: on.has('regex'), caseSensitive: on.has('caseSensitive'), wholeWord: on.has('wholeWord') };
}

/**
 * Asks what to find, with a live count of matches and captions as the user types. Each count runs
 * in the pattern thread and a keystroke cancels the one before; a pattern that runs too long gets
 * the timeout's message and cannot be accepted.
 */
async function askFind(patterns: PatternRunner, sources: readonly CaptionSource[], options: Omit<FindOptions, 'find'>): Promise<string | undefined> {
  let counting: AbortController | undefined;
  try {
    return await vscode.window.showInputBox({
      title: `Find${options.regex ? ' (regular expression)' : ''} in ${sources.length} captions`,
      validateInput: async (find) => {
        counting?.abort();
        if (!find) return undefined;
        const controller = (counting = new AbortController());
        try {
          const count = await patterns.countMatches(sources, { ...options, find }, { signal: controller.signal });
          return { message: `${count.matches} match${count.matches === 1 ? '' : 'es'} in ${count.files} caption${count.files === 1 ? '' : 's'}`, severity: vscode.InputBoxValidationSeverity.Info };
        } catch (err) {
          // A newer keystroke's count answers instead (VS Code shows only the latest value's answer).
          if (err instanceof PatternCancelledError) return undefined;
          if (err instanceof EditOptionError || err instanceof PatternThreadError) return inputMessageText(err.message);
          throw err;
        }
      },
    });
  } finally {
    counting?.abort();
  }
}

/** The find/replace plan, made in the pattern thread under a cancellable progress notification. */
function planReplace(patterns: PatternRunner, sources: readonly CaptionSource[], options: FindReplaceOptions): Thenable<EditPlan> {
  return withNotificationProgress({ title: 'Finding matches', cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    let reported = 0;
    const onProgress = (done: number, total: number): void => {
      if (total === 0 || done === reported) return;
      progress.report({ increment: ((done - reported) / total) * 100, message: `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} captions` });
      reported = done;
    };
    try {
      return await patterns.findReplace(sources, options, { signal: controller.signal, onProgress });
    } finally {
      cancellation.dispose();
    }
  });
}

const TAG_OPERATIONS = [
  { id: 'add', label: 'Add tags' },
  { id: 'remove', label: 'Remove tags' },
  { id: 'rename', label: 'Rename a tag' },
  { id: 'dedupe', label: 'Remove duplicate tags' },
  { id: 'sort-alpha', label: 'Sort tags alphabetically' },
  { id: 'sort-frequency', label: 'Sort tags by frequency in the dataset' },
  { id: 'front', label: 'Move tags to the front' },
] as const;

const NORMALIZE_OPTIONS: Array<vscode.QuickPickItem & { id: keyof NormalizeOptions }> = [
  { id: 'trim', label: 'Trim spaces and blank lines around captions', picked: true },
  { id: 'collapseWhitespace', label: 'Collapse runs of spaces', picked: true },
  { id: 'fixLineEndings', label: 'Fix stray carriage returns', picked: true },
  { id: 'removeEmptyFiles', label: 'Delete empty caption files (asks first)' },
];
