import { basename } from 'node:path';
import { RawImage } from '@huggingface/transformers';
import type { ImageInput } from './protocol';

/** Decodes an image for a processor; a corrupt or unreadable image throws with its name and reason. */
export async function loadImage(input: ImageInput): Promise<RawImage> {
  const name = 'path' in input ? basename(input.path) : input.name ?? 'image';
  try {
    if ('path' in input) return await RawImage.read(input.path);
    return await RawImage.fromBlob(new Blob([Buffer.from(input.base64, 'base64')]));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${name} could not be read as an image: ${reason}`);
  }
}
