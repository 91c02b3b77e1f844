import { readCaption } from '../captions/captionStore';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { PromptOptions, promptUsesCaption } from './prompts';

/** The prompt needs the existing caption and it cannot be read: nothing is sent rather than a prompt told there is none. */
export class PromptCaptionError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`The prompt uses the existing caption ({caption} or {tags}), but ${file} cannot be read: ${reason}`);
    this.name = 'PromptCaptionError';
  }
}

/**
 * The existing caption for a prompt's `{caption}` / `{tags}`: '' when the prompt does not use it
 * (the file is not read then) or there is no caption file; throws PromptCaptionError when the file
 * exists but cannot be read.
 */
export async function captionForPrompt(options: PromptOptions, captionPath: string | undefined, boundary: DatasetBoundary): Promise<string> {
  if (captionPath === undefined || !promptUsesCaption(options)) return '';
  try {
    return (await readCaption(captionPath, boundary))?.text ?? '';
  } catch (err) {
    throw new PromptCaptionError(captionPath, err instanceof Error ? err.message : String(err));
  }
}
