import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import * as vscode from 'vscode';
import type { ImageEntry } from '../core/dataset/types';
import { TagCount, TagTally } from '../core/tagging/tagCounts';
import type { DatasetService } from './datasetService';

/** Captions counted per turn of the event loop: ~5 ms of work on a quiet machine. */
const SLICE = 5000;
/** Caption changes closer together than this are counted once. */
const DEBOUNCE_MS = 300;

/**
 * Tag counts off the caption texts the dataset already holds (read in the background if not yet),
 * counted in slices so the host never stalls; the whole dataset's counts are kept until a caption
 * changes, and `onDidChange` fires (debounced) when they may have.
 */
export class DatasetTags implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires (debounced) after captions or the dataset changed. */
  readonly onDidChange = this.changeEmitter.event;
  private whole?: Promise<TagCount[]>;
  private timer?: NodeJS.Timeout;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly dataset: DatasetService) {
    this.subscription = dataset.onDidChange(() => {
      this.whole = undefined;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.changeEmitter.fire(), DEBOUNCE_MS);
    });
  }

  /** Every tag of the open dataset with its count. */
  all(): Promise<TagCount[]> {
    const index = this.dataset.index;
    if (!index) return Promise.resolve([]);
    const whole = (this.whole ??= this.countsOf(index.images()));
    // a failed count is not kept: the next ask counts again
    whole.catch(() => this.whole === whole && (this.whole = undefined));
    return whole;
  }

  /** The tags of `images` with their counts (loading captions not read yet). */
  async countsOf(images: readonly ImageEntry[]): Promise<TagCount[]> {
    await this.dataset.loadCaptions(images);
    const texts = this.dataset.texts;
    const tally = new TagTally();
    if (!texts) return [];
    for (let start = 0; start < images.length; start += SLICE) {
      const end = Math.min(images.length, start + SLICE);
      for (let i = start; i < end; i++) tally.add(texts.get(images[i]));
      if (end < images.length) await yieldToEventLoop();
    }
    return tally.counts();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
