import sharp from 'sharp';
import { BatchCancelledError } from '../core/captioning/abortableDelay';
import type { PreparedImage } from '../core/images/preparedImage';
import { errorContextFor } from './chatCompletions';
import { OpenAiCompatibleProvider } from './openAiCompatibleProvider';
import { ServerQueue } from './serverQueue';
import { CaptionRequest, CaptionResult, ModelEntry, ProviderError, RegionCaptionProvider, RegionRequest } from './types';

/** The one model name NVlabs' `dam_server.py` accepts. */
export const DAM_MODEL_NAME = 'describe_anything_model';
/** The text the server's own clients send after the image (it starts with a line break). */
export const DAM_PROMPT = '\nDescribe the masked region in detail.';

/** Words with which a server complains about the image it was sent rather than about the request. */
const IMAGE_COMPLAINT = /\b(rgba|alpha|mask|channel|png)\b/i;

/**
 * NVlabs' Describe Anything server (`dam_server.py`): OpenAI-shaped chat completions at
 * `{base}/chat/completions` (no `/v1`), model `describe_anything_model`, a user message only (a
 * system message fails its validation), the region as the alpha channel of an RGBA PNG. Streamed
 * deltas are lists of text parts. One request at a time per server: generation there is synchronous.
 */
export class DamProvider implements RegionCaptionProvider {
  readonly kind = 'dam' as const;
  private readonly chat = new OpenAiCompatibleProvider();
  private readonly queue = new ServerQueue();

  /** The whole image as the region: every pixel inside the mask. */
  async caption(request: CaptionRequest): Promise<CaptionResult> {
    return this.describeRegion({ ...request, prompt: DAM_PROMPT, maskedImage: await opaqueRgbaPng(request.image) });
  }

  async describeRegion(request: RegionRequest): Promise<CaptionResult> {
    const { model } = request;
    const context = errorContextFor({ ...request, image: request.maskedImage });
    if (request.maskedImage.mime !== 'image/png') throw new ProviderError('bad-request', `${context.service} takes the region as a PNG in RGBA; ${request.maskedImage.mime} was prepared`);
    const damModel: ModelEntry = { ...model, model: DAM_MODEL_NAME, systemPrompt: undefined, imageTransport: 'image_url', extraBody: undefined };
    try {
      return await this.queue.run(
        model.baseUrl ?? '',
        // the server ignores per-request sampling parameters (its launch flags rule), so none are sent
        () => this.chat.caption({ ...request, model: damModel, image: request.maskedImage, prompt: request.prompt || DAM_PROMPT, params: {} }),
        request.signal,
      );
    } catch (err) {
      if (err instanceof BatchCancelledError) throw new ProviderError('cancelled', `${context.service}: request cancelled`);
      throw explainImageComplaint(err, context.service);
    }
  }
}

/** A refusal that is about the image gets what the server expects and what was sent, beside its own words. */
function explainImageComplaint(err: unknown, service: string): unknown {
  if (!(err instanceof ProviderError) || (err.kind !== 'bad-request' && err.kind !== 'server') || !IMAGE_COMPLAINT.test(err.message)) return err;
  const message = `${err.message}. ${service} refused the region image: it expects a PNG in RGBA whose alpha channel is the region's mask, which is what was sent; check that the server at this base URL is NVlabs' dam_server.py.`;
  return new ProviderError(err.kind, message, { status: err.status, retryAfterMs: err.retryAfterMs });
}

/** `image` as an RGBA PNG whose alpha is 255 everywhere: the whole picture is the region. */
async function opaqueRgbaPng(image: PreparedImage): Promise<PreparedImage> {
  const { data, info } = await sharp(image.data).removeAlpha().ensureAlpha(1).png().toBuffer({ resolveWithObject: true });
  return { ...image, data, mime: 'image/png', width: info.width, height: info.height, quality: undefined };
}
