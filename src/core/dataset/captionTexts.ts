import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { readCaptionSources } from '../captions/readCaptions';

/** Captions prepared, read and recorded per turn of the event loop at most. */
const CHUNK = 2000;
import { DatasetIndex } from './datasetIndex';
import { sidecarName } from './sidecars';
import { CaptionState, ImageEntry } from './types';

/** Caption texts read on demand (tree descriptions, filtering), kept per image entry. */
export class CaptionTexts {
  private texts = new WeakMap<ImageEntry, string>();
  private errors = new WeakMap<ImageEntry, string>();

  constructor(private readonly index: DatasetIndex) {}

  /** The caption if it has been loaded ('' for none or empty). */
  get(image: ImageEntry): string | undefined {
    if (image.captionState === 'none') return '';
    return this.texts.get(image);
  }

  /** Why the caption could not be read, for an image whose state is 'unreadable'. */
  error(image: ImageEntry): string | undefined {
    return this.errors.get(image);
  }

  /** The caption file may have been created, rewritten or deleted: the next load looks for it and reads it again. */
  invalidate(image: ImageEntry): void {
    this.texts.delete(image);
    this.errors.delete(image);
    image.captionState = 'unknown';
  }

  /**
   * Looks again at the images whose caption file's presence among `names` (their folder's listing)
   * disagrees with what is known, and returns them. File watchers drop a file created and deleted
   * in quick succession, so a caption noted as written can be gone without an event of its own.
   */
  reconcile(images: readonly ImageEntry[], names: ReadonlySet<string>): ImageEntry[] {
    const extension = this.index.options.captionExtension;
    const stale = images.filter((img) => names.has(sidecarName(img.name, extension)) !== (img.captionState !== 'none'));
    for (const img of stale) this.invalidate(img);
    return stale;
  }

  /** Records text that was just written or edited, without a read. */
  set(image: ImageEntry, text: string | undefined): void {
    if (text === undefined) {
      this.texts.delete(image);
      image.captionState = 'none';
      return;
    }
    this.texts.set(image, text);
    image.captionState = text.trim() ? 'text' : 'empty';
  }

  /** Reads every not-yet-loaded caption of `images`; returns the entries whose state changed. */
  async load(
    images: readonly ImageEntry[],
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ): Promise<ImageEntry[]> {
    const changed: ImageEntry[] = [];
    // In chunks, so that picking the unread ones, preparing paths and recording results never holds
    // the event loop for long (filtering 100,000 entries up front took 10-16 ms in one go).
    for (let start = 0; start < images.length; start += CHUNK) {
      if (signal?.aborted) return []; // a newer dataset replaced this one: nothing to record
      const pending = images.slice(start, start + CHUNK).filter((img) => img.captionState !== 'none' && !this.texts.has(img) && !this.errors.has(img));
      if (pending.length) await this.loadChunk(pending, changed, signal);
      onProgress?.(Math.min(start + CHUNK, images.length), images.length);
      await yieldToEventLoop();
    }
    return changed;
  }

  private async loadChunk(images: readonly ImageEntry[], changed: ImageEntry[], signal?: AbortSignal): Promise<void> {
    // Images of one stem share a caption file: it is read once and settles all of them.
    const byCaption = new Map<string, ImageEntry[]>();
    for (const img of images) {
      const captionPath = this.index.captionPath(img);
      const sharing = byCaption.get(captionPath);
      if (sharing) sharing.push(img);
      else byCaption.set(captionPath, [img]);
    }
    const pairs = [...byCaption].map(([captionPath, [img]]) => ({ imagePath: this.index.imagePath(img), captionPath }));
    let read;
    try {
      read = await readCaptionSources(pairs, this.index.boundary, { signal });
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
    const settle = (image: ImageEntry, state: CaptionState): void => {
      if (image.captionState !== state) changed.push(image);
      image.captionState = state;
    };
    for (const source of read.sources) {
      for (const image of byCaption.get(source.captionPath) ?? []) {
        this.texts.set(image, source.text ?? '');
        settle(image, source.text === undefined ? 'none' : source.text.trim() ? 'text' : 'empty');
      }
    }
    for (const failure of read.failures) {
      for (const image of byCaption.get(failure.captionPath) ?? []) {
        this.errors.set(image, failure.message);
        settle(image, 'unreadable');
      }
    }
  }
}
