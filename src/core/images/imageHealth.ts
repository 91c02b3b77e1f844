import { DatasetIndex } from '../dataset/datasetIndex';
import { ImageEntry } from '../dataset/types';
import { readImageHeader } from './imageHeader';

const PARALLEL_CHECKS = 16;
const OUTSIDE = 'This image is a link to a file outside the dataset folder: it is shown, but never sent to a model, exported or written through.';

/** Which images are unreadable (empty, truncated, not an image), learned from their headers on demand. */
export class ImageHealth {
  private readonly problems = new WeakMap<ImageEntry, string | null>();

  constructor(private readonly index: DatasetIndex) {}

  /** Why the image cannot be read; undefined when it is fine or has not been checked. */
  problem(image: ImageEntry): string | undefined {
    return this.problems.get(image) ?? undefined;
  }

  forget(image: ImageEntry): void {
    this.problems.delete(image);
  }

  /** Checks the headers of the images not checked yet. */
  async check(images: readonly ImageEntry[]): Promise<void> {
    const pending = images.filter((img) => !this.problems.has(img));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < pending.length) {
        const image = pending[next++];
        if (this.index.isOutside(image)) {
          this.problems.set(image, OUTSIDE);
          continue;
        }
        const header = await readImageHeader(this.index.imagePath(image), this.index.boundary);
        this.problems.set(image, header.error ?? null);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_CHECKS, pending.length) }, worker));
  }
}
