/**
 * One image to one caption as both front ends do it (issue 14): the prompt with its variables, the
 * parameters with the suggested max tokens, the clean-up, through the provider pipeline. The extension's
 * CaptioningService and the CLI's caption command both call this, so the same settings and server
 * answers give the same caption bytes.
 */
import * as path from 'node:path';
import { captionForPrompt } from '../core/captioning/promptCaption';
import { buildPrompt, maxTokensFor } from '../core/captioning/prompts';
import type { DatasetBoundary } from '../core/files/datasetBoundary';
import type { GenerationSettings } from '../core/settings/generationSettings';
import { generateCaption, GeneratedCaption } from './captionPipeline';
import type { CaptionProvider, ModelEntry } from './types';

export interface CaptionRequest {
  readonly imagePath: string;
  readonly model: ModelEntry;
  readonly provider: CaptionProvider;
  readonly apiKey?: string;
  readonly settings: GenerationSettings;
  /** The dataset the image must lie in: a link leading out of it is never sent to a model. */
  readonly boundary: DatasetBoundary;
  /** The image's folder relative to the dataset root, for `{folder}`. */
  readonly folder: string;
  /** The image's caption file, read for `{caption}` / `{tags}` when the prompt uses them. */
  readonly captionPath?: string;
  /** The caption as currently edited, when it differs from the file. */
  readonly currentCaption?: string;
  readonly signal?: AbortSignal;
  readonly onText?: (delta: string) => void;
}

/** The request parameters: the user's, over the suggested max tokens for the length preset (unless the model sets its own). */
export function requestParams(settings: GenerationSettings, model: ModelEntry): GenerationSettings['params'] {
  const suggestedTokens = maxTokensFor(settings.prompt);
  return { ...(suggestedTokens && model.defaults.max_tokens === undefined ? { max_tokens: suggestedTokens } : {}), ...settings.params };
}

/** Captions one image. Throws ProviderError (or PromptCaptionError / boundary errors) as the pipeline does. */
export async function requestCaption(request: CaptionRequest): Promise<GeneratedCaption> {
  const { settings, boundary, imagePath, model } = request;
  await boundary.realFile(imagePath);
  // a caption that cannot be read stops the request: the prompt would be told there is none
  const existing = request.currentCaption ?? (await captionForPrompt(settings.prompt, request.captionPath, boundary));
  const prompt = buildPrompt(settings.prompt, { name: path.basename(imagePath), folder: request.folder, caption: existing });
  return generateCaption(imagePath, {
    model,
    provider: request.provider,
    apiKey: request.apiKey,
    prompt,
    length: settings.prompt.length,
    params: requestParams(settings, model),
    timeoutMs: settings.timeoutMs,
    cleanup: { prefix: settings.prefix, suffix: settings.suffix },
    uploadAssets: settings.uploadAssets,
    signal: request.signal,
    onText: request.onText,
  });
}
