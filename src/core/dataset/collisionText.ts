/** One sentence for every place that explains a collision (tree tooltip, caption editor, Explore). */
import type { DatasetIndex } from './datasetIndex';
import type { ImageEntry } from './types';

/** Which file the image would share and with which image: "a.png shares a.tags.txt with another image (a.tags.png)." */
export function collisionText(index: DatasetIndex, image: ImageEntry): string {
  const clash = index.collisionOf(image);
  if (!clash) return `${image.name} shares a caption file with another image of this folder.`;
  return `${image.name} shares ${clash.file} with another image (${clash.otherImage}).`;
}
