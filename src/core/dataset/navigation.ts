import { DatasetIndex } from './datasetIndex';
import { ImageEntry } from './types';

export type NavigationMove = 'next' | 'previous' | 'nextUncaptioned';

/**
 * The image to show after `move` from the image at `fromPath` (or from the start when it is not
 * in the dataset). One map lookup and one array access per step: no scan of the dataset.
 */
export function navigationTarget(index: DatasetIndex, fromPath: string | undefined, move: NavigationMove): ImageEntry | undefined {
  const current = fromPath ? index.findImage(fromPath) : undefined;
  if (move === 'nextUncaptioned') return index.nextUncaptioned(current);
  if (!current) return move === 'next' ? index.at(0) : index.at(index.size - 1);
  return index.step(current, move === 'next' ? 1 : -1);
}
