/** Which of an image's captions an operation reads and writes: its caption, or its second caption (`.tags.txt`). */
import type { DatasetIndex } from './datasetIndex';
import type { ImageEntry } from './types';

export type CaptionTarget = 'caption' | 'second';

/** The file of `image` that `target` names; throws when the dataset has no second captions. */
export function targetCaptionPath(index: DatasetIndex, image: ImageEntry, target: CaptionTarget): string {
  if (target === 'caption') return index.captionPath(image);
  const second = index.secondCaptionPath(image);
  if (!second) throw new Error('This dataset has no second captions: set imageCaptioner.secondCaption.extension (e.g. .tags.txt) first.');
  return second;
}
