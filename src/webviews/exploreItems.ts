import type { CaptionTexts } from '../core/dataset/captionTexts';
import type { ImageEntry } from '../core/dataset/types';
import { forEachInSlices } from './hostSlices';

/** The items of one Explore layout: item i is images[i], with its caption as read and whether it may be edited in the panel. */
export interface ExploreItemSet {
  readonly images: readonly ImageEntry[];
  readonly relPaths: string[];
  readonly captions: string[];
  /** 1 where the caption may be edited (readable as UTF-8, not shared by two images). */
  readonly editable: Uint8Array;
}

/** The dataset-relative path of an image, '/'-separated. */
export function relPathOf(image: ImageEntry): string {
  return image.folder.relPath ? `${image.folder.relPath}/${image.name}` : image.name;
}

/**
 * The items of `images` (their captions read already), built in slices between event-loop turns
 * so the extension host keeps answering while 100,000 items are listed.
 */
export async function collectItems(images: readonly ImageEntry[], texts: CaptionTexts, signal?: AbortSignal): Promise<ExploreItemSet> {
  const relPaths = new Array<string>(images.length);
  const captions = new Array<string>(images.length);
  const editable = new Uint8Array(images.length);
  signal?.throwIfAborted();
  await forEachInSlices(
    images.length,
    (i) => {
      const image = images[i];
      relPaths[i] = relPathOf(image);
      captions[i] = texts.get(image) ?? '';
      editable[i] = image.captionState !== 'unreadable' && !image.collision ? 1 : 0;
    },
    undefined,
    () => !!signal?.aborted,
  );
  signal?.throwIfAborted();
  return { images, relPaths, captions, editable };
}

/** The items without those at `drop` (sorted or not): what a layout shows when some items have no vector. */
export function withoutItems(items: ExploreItemSet, drop: ReadonlySet<number>): ExploreItemSet {
  if (drop.size === 0) return items;
  const keep = (_: unknown, i: number): boolean => !drop.has(i);
  const editable = new Uint8Array(items.images.length - drop.size);
  let j = 0;
  for (let i = 0; i < items.editable.length; i++) if (!drop.has(i)) editable[j++] = items.editable[i];
  return { images: items.images.filter(keep), relPaths: items.relPaths.filter(keep), captions: items.captions.filter(keep), editable };
}
