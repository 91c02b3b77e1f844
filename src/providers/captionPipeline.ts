import * as path from 'node:path';
import { cleanCaption, CleanupOptions } from '../core/captioning/cleanup';
import type { ParamMap } from '../core/captioning/params';
import type { LengthPreset } from '../core/captioning/prompts';
import { ImageBudgetError, prepareImage } from '../core/images/prepareImage';
import type { PreparedImage } from '../core/images/preparedImage';
import { CaptionProvider, GroundedEntity, ModelEntry, ProviderError } from './types';
import { serverText } from './httpErrors';

const DEFAULT_MAX_SIDE = 1024;
const ASSET_RATHER_THAN_BELOW = 512;

export interface GenerateOptions {
  readonly model: ModelEntry;
  readonly provider: CaptionProvider;
  readonly apiKey?: string;
  readonly prompt: string;
  readonly length?: LengthPreset;
  /** The user's parameters; the model's defaults fill what they leave out. */
  readonly params: ParamMap;
  readonly timeoutMs: number;
  readonly cleanup?: CleanupOptions;
  /** Whether an image that cannot fit inline may go as an NVCF asset (legacy NIM routes). */
  readonly uploadAssets: boolean;
  readonly signal?: AbortSignal;
  readonly onText?: (delta: string) => void;
}

/** An image file, or encoded bytes with the name messages use for them (a generated test image). */
export type ImageSource = string | { readonly data: Buffer; readonly name: string };

export interface GeneratedCaption {
  /** The cleaned caption. */
  readonly text: string;
  /** What the model said, before clean-up. */
  readonly raw: string;
  readonly entities?: readonly GroundedEntity[];
  readonly image: PreparedImage;
  readonly elapsedMs: number;
}

/** One image through one model: prepare the image for the model, ask, clean the answer. */
export async function generateCaption(source: ImageSource, options: GenerateOptions): Promise<GeneratedCaption> {
  const started = Date.now();
  const { model } = options;
  const image = await prepareFor(source, model, options);
  const result = await options.provider.caption({
    model: model.provider === 'nim-legacy' ? { ...model, useAssets: Boolean(model.useAssets && options.uploadAssets) } : model,
    image,
    prompt: options.prompt,
    length: options.length,
    params: { ...model.defaults, ...options.params },
    apiKey: options.apiKey,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    onText: model.capabilities.stream ? options.onText : undefined,
  });
  const text = cleanCaption(result.text, options.cleanup);
  if (!text) throw new ProviderError('bad-response', `${model.label} answered with no caption text (raw answer: ${JSON.stringify(serverText(result.text, [options.apiKey], 200))})`);
  return { text, raw: result.text, entities: result.entities, image, elapsedMs: Date.now() - started };
}

/** Resized to the model's side; under its inline budget, else (legacy NIM with assets) unbounded for upload. */
async function prepareFor(source: ImageSource, model: ModelEntry, options: GenerateOptions): Promise<PreparedImage> {
  const input = typeof source === 'string' ? source : source.data;
  const name = typeof source === 'string' ? path.basename(source) : source.name;
  const maxSide = model.maxImageSide ?? DEFAULT_MAX_SIDE;
  const assetsAllowed = model.provider === 'nim-legacy' && model.useAssets && options.uploadAssets;
  // With uploads allowed, an image is not shrunk to a thumbnail to fit inline: it goes as an asset.
  const minSide = assetsAllowed ? Math.min(ASSET_RATHER_THAN_BELOW, maxSide) : undefined;
  try {
    return await prepareImage(input, { maxSide, maxBase64Chars: model.maxInlineBase64, minSide, signal: options.signal, name });
  } catch (err) {
    if (err instanceof ImageBudgetError && assetsAllowed) return prepareImage(input, { maxSide, signal: options.signal, name });
    if (err instanceof ImageBudgetError) {
      throw new ProviderError('bad-request', `${name} cannot be sent to ${model.label} within its ${model.maxInlineBase64}-character inline limit, even downscaled.`);
    }
    throw err;
  }
}
