import { readCaptionSources, type SourceReadFailure } from '../captions/readCaptions';
import type { DatasetIndex } from './datasetIndex';
import type { ImageEntry } from './types';

/**
 * Second caption texts (`imageCaptioner.secondCaption.extension`) read on demand for the filter's
 * `caption2:` terms, kept per image entry until their file changes. The index keeps no second-caption
 * state, so this is the one place they are held.
 */
export class SecondCaptionTexts {
  private readonly texts = new WeakMap<ImageEntry, string>();
  /** Images whose second caption could not be read (not UTF-8, not a regular file): they count as none. */
  private readonly failed = new WeakSet<ImageEntry>();
  /** When each image was last forgotten (a count of forgets): a read begun before then is stale. */
  private readonly forgotten = new WeakMap<ImageEntry, number>();
  private forgets = 0;

  constructor(private readonly index: DatasetIndex) {}

  /** The second caption if it has been read ('' for none); undefined before. */
  get(image: ImageEntry): string | undefined {
    return this.index.secondCaptionPath(image) === undefined ? '' : this.texts.get(image);
  }

  /** Whether the second caption was read and could not be (`get` gives '' for it). */
  unreadable(image: ImageEntry): boolean {
    return this.failed.has(image);
  }

  /** The file may have changed: the next load reads it again. */
  forget(image: ImageEntry): void {
    this.texts.delete(image);
    this.failed.delete(image);
    this.forgotten.set(image, ++this.forgets);
  }

  /** Reads the second captions of `images` not read yet; the ones that could not be read count as none and come back with why. */
  async load(images: readonly ImageEntry[], signal?: AbortSignal): Promise<SourceReadFailure[]> {
    const byPath = new Map<string, ImageEntry[]>();
    for (const image of images) {
      const secondPath = this.index.secondCaptionPath(image);
      if (secondPath === undefined || this.texts.has(image)) continue;
      const sharing = byPath.get(secondPath);
      if (sharing) sharing.push(image);
      else byPath.set(secondPath, [image]);
    }
    if (byPath.size === 0) return [];
    const pairs = [...byPath].map(([captionPath, [image]]) => ({ imagePath: this.index.imagePath(image), captionPath }));
    const began = this.forgets;
    const { sources, failures } = await readCaptionSources(pairs, this.index.boundary, { signal });
    // a file that changed while it was read is left unread: the text read may be the old one
    const keep = (image: ImageEntry, text: string, failed: boolean): void => {
      if ((this.forgotten.get(image) ?? 0) > began) return;
      this.texts.set(image, text);
      if (failed) this.failed.add(image);
    };
    for (const source of sources) for (const image of byPath.get(source.captionPath) ?? []) keep(image, source.text ?? '', false);
    for (const failure of failures) for (const image of byPath.get(failure.captionPath) ?? []) keep(image, '', true);
    return failures;
  }
}
