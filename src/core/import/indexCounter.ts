/** Numbers each image's captions 0, 1, 2… in order of appearance, for formats without an explicit index. */
export class IndexCounter {
  private readonly counts = new Map<string, number>();

  next(image: string): number {
    const n = this.counts.get(image) ?? 0;
    this.counts.set(image, n + 1);
    return n;
  }
}
