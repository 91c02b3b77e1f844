import * as path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import * as vscode from 'vscode';
import { OutsideDatasetError } from '../core/files/datasetBoundary';
import { readRegularFile } from '../core/files/regularFile';
import { BOORU_LIST_MAX_BYTES, parseBooruTagList } from '../core/tagging/booruTagList';
import { listIndexInPhases, TagCompleter, TagSuggestion } from '../core/tagging/tagCompletion';
import { TagNameIndex } from '../core/tagging/tagNameIndex';
import type { DatasetService } from './datasetService';
import type { DatasetTags } from './datasetTags';
import { showWarning } from './notifications';

/** The setting naming the booru tag list (a1111-tagcomplete CSV). */
export const TAG_LIST_SETTING = 'imageCaptioner.tagComplete.file';

/**
 * Tag suggestions for the caption editor (and the gallery's shared-tags input): the dataset's own
 * tags by frequency, plus the tag list of `imageCaptioner.tagComplete.file` when set. The list is
 * read in a trusted workspace from anywhere, in an untrusted one only from inside the dataset.
 */
export class TagCompletionService implements vscode.Disposable {
  /** The completer answering now; after a caption change it answers until its successor is built, so typing never waits for a recount. */
  private current?: TagCompleter;
  private building?: Promise<TagCompleter>;
  private stale = true;
  private list?: { readonly key: string; readonly index: Promise<TagNameIndex> };
  private readonly reported = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly dataset: DatasetService,
    private readonly tags: DatasetTags,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      tags.onDidChange(() => (this.stale = true)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(TAG_LIST_SETTING)) this.forget();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.forget()),
    ];
  }

  /** Up to `limit` tags for the text typed (see TagCompleter.complete for the ranking). */
  async suggest(typed: string, limit = 10): Promise<TagSuggestion[]> {
    await this.dataset.whenReady();
    if (this.stale && !this.building) {
      this.stale = false;
      const building = this.build().then(
        (completer) => (this.current = completer),
        (err: unknown) => {
          this.stale = true;
          throw err;
        },
      );
      this.building = building;
      void building.finally(() => this.building === building && (this.building = undefined)).catch(() => undefined);
    }
    const completer = this.current ?? (await this.building!);
    return completer.complete(typed, limit);
  }

  /** The list changed: nothing of the old one may answer. */
  private forget(): void {
    this.list = undefined;
    this.current = undefined;
    this.stale = true;
  }

  private async build(): Promise<TagCompleter> {
    const [counts, list] = await Promise.all([this.tags.all(), this.listIndex()]);
    return new TagCompleter(counts, list);
  }

  /** The tag list's index, read once per file setting; an unreadable list is reported once and left out. */
  private async listIndex(): Promise<TagNameIndex | undefined> {
    const file = this.listFile();
    if (!file) return undefined;
    const key = `${file}\u0000${vscode.workspace.isTrusted}`;
    if (this.list?.key !== key) this.list = { key, index: this.readList(file) };
    try {
      return await this.list.index;
    } catch (err) {
      const message = `Tag autocomplete: the tag list ${file} (${TAG_LIST_SETTING}) is left out: ${(err as Error).message}`;
      this.log.warn(message);
      if (!this.reported.has(message)) {
        this.reported.add(message);
        void showWarning(message);
      }
      return undefined;
    }
  }

  /** The setting's path, relative to the first workspace folder (else the dataset folder) unless absolute. */
  private listFile(): string | undefined {
    const value = vscode.workspace.getConfiguration().get<string>(TAG_LIST_SETTING, '').trim();
    if (!value) return undefined;
    const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? this.dataset.rootPath ?? '';
    return path.resolve(base, value);
  }

  private async readList(file: string): Promise<TagNameIndex> {
    // untrusted: only a file whose real path is inside the dataset (the boundary refuses others)
    const boundary = vscode.workspace.isTrusted ? undefined : this.dataset.index?.boundary;
    const untrusted = new Error('this workspace is not trusted, so only a tag list inside the dataset folder is read');
    if (!vscode.workspace.isTrusted && !boundary) throw untrusted;
    const bytes = await readRegularFile(file, BOORU_LIST_MAX_BYTES, boundary).catch((err: unknown) => {
      throw err instanceof OutsideDatasetError ? untrusted : err;
    });
    if (!bytes) throw new Error('the file does not exist');
    const parsed = parseBooruTagList(bytes.toString('utf8'), file);
    if (parsed.skipped) this.log.info(`Tag list ${file}: ${parsed.skipped} row(s) without a tag name or count left out (the first on line ${parsed.firstSkippedLine}).`);
    this.log.info(`Tag list ${file}: ${parsed.tags.length} tags.`);
    return listIndexInPhases(parsed.tags, () => yieldToEventLoop());
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
