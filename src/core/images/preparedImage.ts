/** An image made ready to send to a model: oriented, resized, encoded, within a byte budget. */
export interface PreparedImage {
  readonly data: Buffer;
  readonly mime: 'image/jpeg' | 'image/png' | 'image/webp';
  /** Pixel size of `data` (after orientation and resizing). */
  readonly width: number;
  readonly height: number;
  /** Pixel size of the source image as displayed. */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** The JPEG/WebP quality `data` was encoded at; absent for PNG. */
  readonly quality?: number;
}

export function toBase64(image: PreparedImage): string {
  return image.data.toString('base64');
}

export function toDataUrl(image: PreparedImage): string {
  return `data:${image.mime};base64,${toBase64(image)}`;
}
