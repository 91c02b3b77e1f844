import { readCaption } from '../captions/captionStore';
import { DatasetIndex } from './datasetIndex';
import { CaptionState, ImageEntry } from './types';

const PARALLEL_READS = 32;

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

  /** Forgets a loaded caption so the next load reads the file again. */
  invalidate(image: ImageEntry): void {
    this.texts.delete(image);
    this.errors.delete(image);
    if (image.captionState !== 'none') image.captionState = 'unknown';
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
    const pending = images.filter((img) => img.captionState !== 'none' && !this.texts.has(img) && !this.errors.has(img));
    const changed: ImageEntry[] = [];
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < pending.length && !signal?.aborted) {
        const image = pending[next++];
        const before = image.captionState;
        await this.readOne(image);
        if (image.captionState !== before) changed.push(image);
        done++;
        onProgress?.(done, pending.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, pending.length) }, worker));
    return changed;
  }

  private async readOne(image: ImageEntry): Promise<void> {
    let state: CaptionState;
    try {
      const decoded = await readCaption(this.index.captionPath(image));
      const text = decoded?.text ?? '';
      this.texts.set(image, text);
      state = decoded === undefined ? 'none' : text.trim() ? 'text' : 'empty';
    } catch (err) {
      this.errors.set(image, err instanceof Error ? err.message : String(err));
      state = 'unreadable';
    }
    image.captionState = state;
  }
}
