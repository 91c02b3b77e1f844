import type { ImageEntry } from '../core/dataset/types';
import type { DatasetService } from '../services/datasetService';
import type { GalleryCaptionTarget } from './protocol/galleryMessages';

/**
 * The texts the gallery shows for `images` ('' for none, null for a file that could not be read: not
 * UTF-8): the dataset's cached captions, or its cached second captions (read on first use, forgotten
 * when their files change).
 */
export async function galleryCaptionTexts(dataset: DatasetService, images: readonly ImageEntry[], target: GalleryCaptionTarget, warn: (message: string) => void): Promise<Array<string | null>> {
  const index = dataset.index!;
  if (target === 'caption' || !index.options.secondCaptionExtension) {
    await dataset.loadCaptions(images);
    const texts = dataset.texts!;
    return images.map((img) => (img.captionState === 'unreadable' ? null : texts.get(img) ?? ''));
  }
  // an image in a collision shares its second caption's name with another image: it shows none, as the edits leave it out
  const shown = images.filter((img) => !img.collision);
  const seconds = dataset.secondTexts!;
  const failures = await seconds.load(shown);
  for (const f of failures.slice(0, 5)) warn(`Gallery: second caption not read: ${f.message}`);
  return images.map((img) => (img.collision ? '' : seconds.unreadable(img) ? null : seconds.get(img) ?? ''));
}
