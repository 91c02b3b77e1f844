/** One image to one caption in the CLI: the shared request assembly with the dataset's folder for `{folder}`. */
import * as path from 'node:path';
import type { GenerationSettings } from '../core/settings/generationSettings';
import type { GeneratedCaption } from '../providers/captionPipeline';
import { requestCaption } from '../providers/captionRequest';
import type { CaptionProvider, ModelEntry } from '../providers/types';
import type { LoadedDataset } from './datasetLoad';

/** A function that captions an image of `loaded` with `model`, as the extension would. */
export function cliRequester(loaded: LoadedDataset, model: ModelEntry, provider: CaptionProvider, apiKey: string | undefined, settings: GenerationSettings) {
  const { index } = loaded;
  return (imagePath: string, captionPath: string | undefined, signal: AbortSignal): Promise<GeneratedCaption> =>
    requestCaption({
      imagePath,
      model,
      provider,
      apiKey,
      settings,
      boundary: index.boundary,
      folder: index.relativePath(path.dirname(imagePath)) ?? path.basename(path.dirname(imagePath)),
      captionPath,
      signal,
    });
}
