/** Which caption of each image an export writes, when the dataset has second captions (`.tags.txt`). */
import type { ExportSample } from './exportTypes';

/** The caption, the second caption in its place, or both (WebDataset members, table columns). */
export const EXPORTED_CAPTIONS = ['caption', 'second', 'both'] as const;
export type ExportedCaptions = (typeof EXPORTED_CAPTIONS)[number];

/** `sample` exporting the captions `captions` names; `secondCaptionPath` undefined (no second captions) leaves it as it is. */
export function withExportedCaptions<S extends ExportSample>(sample: S, secondCaptionPath: string | undefined, captions: ExportedCaptions): S {
  if (secondCaptionPath === undefined || captions === 'caption') return sample;
  return captions === 'second' ? { ...sample, captionPath: secondCaptionPath } : { ...sample, secondCaptionPath };
}
