import * as path from 'node:path';
import * as vscode from 'vscode';
import { OutsideDatasetError } from '../core/files/datasetBoundary';
import { readRegularFile } from '../core/files/regularFile';
import { BOORU_LIST_MAX_BYTES } from '../core/tagging/booruTagList';
import { TagCompleteRunner } from '../core/tagging/tagCompleteRunner';
import { normalizeTagName, TagSuggestion } from '../core/tagging/tagCompletion';
import type { DatasetService } from './datasetService';
import type { DatasetTags } from './datasetTags';
import { showWarning } from './notifications';

/** The setting naming the booru tag list (a1111-tagcomplete CSV). */
export const TAG_LIST_SETTING = 'imageCaptioner.tagComplete.file';

/**
 * Tag suggestions for the caption editor (and the gallery's shared-tags input): the dataset's own
 * tags by frequency, plus the tag list of `imageCaptioner.tagComplete.file` when set. The list is
 * read in a trusted workspace from anywhere, in an untrusted one only from inside the dataset; it is
 * parsed, indexed and ranked in a worker thread (indexing 100,000 rows took seconds of the host).
 */
export class TagCompletionService implements vscode.Disposable {
  private readonly runner: TagCompleteRunner;
  /** The dataset's tags changed since the thread last got them. */
  private stale = true;
  /** Whether the running thread has the dataset's tags at all (until then a suggestion waits for them). */
  private sentTags = false;
  private recounting?: Promise<void>;
  private list?: { readonly key: string; readonly indexed: Promise<void> };
  private readonly reported = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly dataset: DatasetService,
    private readonly tags: DatasetTags,
    private readonly log: vscode.LogOutputChannel,
    threadPath: string,
  ) {
    this.runner = new TagCompleteRunner(threadPath);
    this.subscriptions = [
      tags.onDidChange(() => (this.stale = true)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(TAG_LIST_SETTING)) this.list = undefined;
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => (this.list = undefined)),
    ];
  }

  /**
   * Up to `limit` tags for the text typed (see TagCompleter.complete for the ranking), without the
   * tags in `exclude` (those already in the caption, as written: case and `_` do not matter).
   */
  async suggest(typed: string, limit = 10, exclude: readonly string[] = []): Promise<TagSuggestion[]> {
    await this.dataset.whenReady();
    if (!this.runner.running) {
      // a new thread (the first, or one started after its predecessor died) holds nothing yet
      this.list = undefined;
      this.stale = true;
      this.sentTags = false;
    }
    // After a caption change the thread answers with the tags it has until the recount arrives: typing never waits for it.
    if (this.stale && !this.recounting) {
      this.stale = false;
      const recounting = this.tags.all().then(
        (tags) => {
          this.runner.setDatasetTags(tags);
          this.sentTags = true;
        },
        (err: unknown) => {
          this.stale = true;
          throw err;
        },
      );
      this.recounting = recounting;
      void recounting.finally(() => this.recounting === recounting && (this.recounting = undefined)).catch(() => undefined);
    }
    if (!this.sentTags) await this.recounting;
    await this.listIndexed();
    return this.runner.complete(typed, limit, exclude.map(normalizeTagName));
  }

  /** Sends the tag list of the setting to the thread once per file setting; an unreadable list is reported once and left out. */
  private async listIndexed(): Promise<void> {
    const file = this.listFile();
    const key = file ? `${file}\u0000${vscode.workspace.isTrusted}` : '';
    if (this.list?.key !== key) this.list = { key, indexed: this.sendList(file) };
    try {
      await this.list.indexed;
    } catch (err) {
      const message = `Tag autocomplete: the tag list ${file} (${TAG_LIST_SETTING}) is left out: ${(err as Error).message}`;
      this.log.warn(message);
      if (!this.reported.has(message)) {
        this.reported.add(message);
        void showWarning(message);
      }
    }
  }

  /** The setting's path, relative to the first workspace folder (else the dataset folder) unless absolute. */
  private listFile(): string | undefined {
    const value = vscode.workspace.getConfiguration().get<string>(TAG_LIST_SETTING, '').trim();
    if (!value) return undefined;
    const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? this.dataset.rootPath ?? '';
    return path.resolve(base, value);
  }

  /** Reads the list's bytes here (through the boundary when untrusted) and has the thread parse and index them; no file: no list. */
  private async sendList(file: string | undefined): Promise<void> {
    if (!file) {
      await this.runner.setList('', undefined);
      return;
    }
    let bytes: Buffer | undefined;
    try {
      bytes = await this.readList(file);
    } catch (err) {
      await this.runner.setList(file, undefined); // the thread forgets the list it had
      throw err;
    }
    const indexed = await this.runner.setList(file, bytes);
    if (indexed.skipped) this.log.info(`Tag list ${file}: ${indexed.skipped} row(s) without a tag name or count, or not UTF-8 text, left out (the first on line ${indexed.firstSkippedLine}).`);
    this.log.info(`Tag list ${file}: ${indexed.tags} tags.`);
  }

  private async readList(file: string): Promise<Buffer> {
    // untrusted: only a file whose real path is inside the dataset (the boundary refuses others)
    const boundary = vscode.workspace.isTrusted ? undefined : this.dataset.index?.boundary;
    const untrusted = new Error('this workspace is not trusted, so only a tag list inside the dataset folder is read');
    if (!vscode.workspace.isTrusted && !boundary) throw untrusted;
    const bytes = await readRegularFile(file, BOORU_LIST_MAX_BYTES, boundary).catch((err: unknown) => {
      throw err instanceof OutsideDatasetError ? untrusted : err;
    });
    if (!bytes) throw new Error('the file does not exist');
    return bytes;
  }

  dispose(): void {
    this.runner.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
