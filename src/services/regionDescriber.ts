import * as path from 'node:path';
import { isTagger } from '../providers/local/localTagger';
import { BatchCancelledError } from '../core/captioning/abortableDelay';
import { cleanCaption } from '../core/captioning/cleanup';
import { isHopeless } from '../core/captioning/failFast';
import { RequestLane } from '../core/captioning/requestLane';
import type { RetryPolicy } from '../core/captioning/retryPolicy';
import { focalImages, maskedRegionPng, outlinedOverview } from '../core/images/regionImages';
import type { PreparedImage } from '../core/images/preparedImage';
import { buildFusePrompt, describedRegions } from '../core/regions/regionPrompts';
import { clipRegion, validateRegionShape } from '../core/regions/regionShapes';
import type { Region } from '../core/regions/regionsSidecar';
import { batchLimits, BatchLimitSettings } from '../providers/batchLimits';
import { DAM_PROMPT } from '../providers/damProvider';
import { CaptionProvider, CaptionResult, describesRegions, ModelEntry, ProviderError, ProviderKind } from '../providers/types';

/**
 * Region description and fusion (issue 11): picks the model from the settings, checks trust, key and
 * the image, prepares the images (a masked RGBA PNG for Describe Anything, focal prompting for any
 * other vision model, every contour for a fuse), and sends under the batch engine's limits and
 * retries, one lane per model. No `vscode` here: the extension passes its services in, so the tests
 * run in plain Node against the fake servers.
 */

/** What region description reads from the settings (src/regionSettings.ts fills it from VS Code's). */
export interface RegionSettings {
  /** Model id for descriptions (`imageCaptioner.regions.describeModel`). */
  readonly describeModel: string;
  /** Focal prompting's prompt (`imageCaptioner.regions.focalPrompt`). */
  readonly focalPrompt: string;
  /** Model id for fusing; '' is the selected captioning model (`imageCaptioner.regions.fuseModel`). */
  readonly fuseModel: string;
  /** Fusion prompt with `{regions}` (`imageCaptioner.regions.fusePrompt`). */
  readonly fusePrompt: string;
  /** Per-request limit (`imageCaptioner.generation.timeoutSeconds`). */
  readonly timeoutMs: number;
  /** The batch limits a user set (0: the model's own). */
  readonly batch: BatchLimitSettings;
}

/** What the describer needs from the extension. */
export interface RegionDescriberDeps {
  readonly models: { find(id: string | undefined): ModelEntry | undefined; selected(): ModelEntry | undefined };
  readonly settings: () => RegionSettings;
  readonly isTrusted: () => boolean;
  /** Trust, key and key destination (CaptioningService.prepareToSend): undefined when the request must not go (the user was told why). */
  readonly prepareToSend: (model: ModelEntry) => Promise<{ apiKey?: string } | undefined>;
  readonly providers: { get(kind: ProviderKind): CaptionProvider };
  /** Rejects when the image must not be sent (a link leading out of its dataset). */
  readonly checkImage: (imagePath: string) => Promise<void>;
  readonly log?: { info(message: string): void; warn(message: string): void };
  /** Retries of each request (the batch engine's default); a caller that retries itself (a region batch) passes `maxAttempts: 1`. */
  readonly retryPolicy?: RetryPolicy;
}

export interface DescribeRequest {
  readonly imagePath: string;
  /** The image size the regions file records (its regions are normalized to it). */
  readonly sidecarImage: { readonly width: number; readonly height: number };
  readonly region: Region;
  readonly modelId?: string;
  readonly prompt?: string;
  readonly onText?: (delta: string) => void;
  readonly signal?: AbortSignal;
}

export interface FuseRequest {
  readonly imagePath: string;
  readonly regions: readonly Region[];
  readonly modelId?: string;
  readonly prompt?: string;
  readonly onText?: (delta: string) => void;
  readonly signal?: AbortSignal;
}

export interface RegionText {
  readonly text: string;
  /** Id of the model that wrote it. */
  readonly model: string;
}

/** A request that was refused before anything was sent: the message says why and what to do. */
export class RegionRequestError extends Error {
  override readonly name = 'RegionRequestError';
}

/** Longest side when a model names none. */
const DEFAULT_MAX_SIDE = 1024;
/** How far the regions file's aspect ratio may stray from the image's before its regions are taken to be for another picture. */
const ASPECT_TOLERANCE = 0.02;

export class RegionDescriber {
  private readonly lanes = new Map<string, RequestLane>();

  constructor(private readonly deps: RegionDescriberDeps) {}

  /** One region's description, streamed to `onText`; rejects with ProviderError 'cancelled' once `signal` aborts, whatever step it was at. */
  describe(request: DescribeRequest): Promise<RegionText> {
    return cancellable(request.signal, () => this.describeNow(request));
  }

  /** One caption woven from the regions' descriptions and the picture with their contours. */
  fuse(request: FuseRequest): Promise<RegionText> {
    return cancellable(request.signal, () => this.fuseNow(request));
  }

  private async describeNow(request: DescribeRequest): Promise<RegionText> {
    const settings = this.deps.settings();
    const model = this.modelFor(request.modelId ?? settings.describeModel, 'imageCaptioner.regions.describeModel');
    const problem = validateRegionShape(request.region);
    if (problem) throw new RegionRequestError(`Region ${request.region.id} cannot be described: ${problem}.`);
    const region = clipRegion(request.region);
    const access = await this.access(model, request.imagePath);
    const options = { maxSide: model.maxImageSide ?? DEFAULT_MAX_SIDE, maxBase64Chars: model.maxInlineBase64, signal: request.signal };
    const provider = this.deps.providers.get(model.provider);
    const name = path.basename(request.imagePath);
    this.deps.log?.info(`${model.label} ← ${name}, region ${region.id}`);
    if (describesRegions(provider)) {
      const maskedImage = await maskedRegionPng(request.imagePath, region, { ...options, maxBase64Chars: undefined });
      checkAspect(maskedImage, request.sidecarImage, name);
      return this.send(model, request, settings, (onText, signal) =>
        provider.describeRegion({ model, maskedImage, prompt: request.prompt ?? DAM_PROMPT, params: {}, apiKey: access.apiKey, signal, timeoutMs: settings.timeoutMs, onText }),
      );
    }
    const focal = await focalImages(request.imagePath, region, options);
    checkAspect(focal.outlined, request.sidecarImage, name);
    const extraImages = imagesPerRequest(model) >= 2 ? [focal.crop] : undefined;
    const prompt = request.prompt ?? settings.focalPrompt;
    return this.send(model, request, settings, (onText, signal) =>
      provider.caption({ model, image: focal.outlined, extraImages, prompt, params: { ...model.defaults }, apiKey: access.apiKey, signal, timeoutMs: settings.timeoutMs, onText }),
    );
  }

  private async fuseNow(request: FuseRequest): Promise<RegionText> {
    const settings = this.deps.settings();
    const id = request.modelId ?? (settings.fuseModel || this.deps.models.selected()?.id);
    if (!id) throw new RegionRequestError('No model to fuse the descriptions with: pick a captioning model, or set imageCaptioner.regions.fuseModel.');
    const model = this.modelFor(id, 'imageCaptioner.regions.fuseModel');
    if (model.provider === 'dam') throw new RegionRequestError(`${model.label} describes masked regions and cannot follow a fusion prompt: set imageCaptioner.regions.fuseModel to a chat vision model.`);
    const regions = describedRegions(request.regions).map(clipRegion);
    if (regions.length === 0) throw new RegionRequestError('No region has a description yet: describe the regions first, then fuse them.');
    const access = await this.access(model, request.imagePath);
    const image = await outlinedOverview(request.imagePath, regions, { maxSide: model.maxImageSide ?? DEFAULT_MAX_SIDE, maxBase64Chars: model.maxInlineBase64, signal: request.signal });
    const prompt = buildFusePrompt(request.prompt ?? settings.fusePrompt, regions);
    this.deps.log?.info(`${model.label} ← ${path.basename(request.imagePath)}, fusing ${regions.length} region descriptions`);
    return this.send(model, request, settings, (onText, signal) =>
      this.deps.providers.get(model.provider).caption({ model, image, prompt, params: { ...model.defaults }, apiKey: access.apiKey, signal, timeoutMs: settings.timeoutMs, onText }),
    );
  }

  /** The model a fuse uses now: imageCaptioner.regions.fuseModel, else the selected captioning model; undefined when neither names a known model. */
  fuseModel(): ModelEntry | undefined {
    const id = this.deps.settings().fuseModel || this.deps.models.selected()?.id;
    return id ? this.deps.models.find(id) : undefined;
  }

  /** Stops the lanes' timers. */
  dispose(): void {
    for (const lane of this.lanes.values()) lane.dispose();
    this.lanes.clear();
  }

  private modelFor(id: string, setting: string): ModelEntry {
    const model = this.deps.models.find(id);
    if (!model) throw new RegionRequestError(`No model "${id}" is known (${setting}): pick one from "Image Captioner: Select Model", or add it to imageCaptioner.models.`);
    // a tagger answers with tags for a whole image: it cannot follow a region or fusion prompt
    if (isTagger(model)) throw new RegionRequestError(`${model.label} is a WD tagger and cannot describe or fuse regions (${setting}): choose a vision-language model.`);
    return model;
  }

  /** Nothing leaves an untrusted workspace, a model without its key, or an image outside its dataset. */
  private async access(model: ModelEntry, imagePath: string): Promise<{ apiKey?: string }> {
    if (!this.deps.isTrusted()) throw new RegionRequestError('Image Captioner sends no request from an untrusted workspace. Trust this folder to describe regions with models.');
    const access = await this.deps.prepareToSend(model);
    if (!access) throw new RegionRequestError(`Nothing was sent to ${model.label}.`);
    await this.deps.checkImage(imagePath);
    return access;
  }

  /**
   * Through the model's lane. Someone is waiting for this one answer, so retries are for what passes
   * soon (429 with its Retry-After, 5xx, a lost connection): a timeout already took the whole limit,
   * and a hopeless error (unreachable, key refused, no such model) fails every try alike. An attempt
   * that streamed text is never repeated (its reader saw that text).
   */
  private async send(model: ModelEntry, request: { onText?: (delta: string) => void; signal?: AbortSignal; imagePath: string }, settings: RegionSettings, attempt: (onText: ((delta: string) => void) | undefined, signal: AbortSignal | undefined) => Promise<CaptionResult>): Promise<RegionText> {
    const lane = this.laneFor(model, settings);
    let streamed = false;
    const onText = request.onText && model.capabilities.stream ? (delta: string) => ((streamed = true), request.onText!(delta)) : undefined;
    try {
      const result = await lane.run((signal) => attempt(onText, signal), request.signal, (err) => !streamed && !isHopeless(err) && !isTimeout(err));
      const text = cleanCaption(result.text);
      if (!text) throw new ProviderError('bad-response', `${model.label} answered with no text.`);
      this.deps.log?.info(`${model.label} → ${path.basename(request.imagePath)}: ${text.length} characters`);
      return { text, model: model.id };
    } catch (err) {
      const error = explained(err, model, settings);
      if (!(error instanceof ProviderError && error.kind === 'cancelled')) this.deps.log?.warn(`${model.label} ✗ ${path.basename(request.imagePath)}: ${error.message}`);
      throw error;
    }
  }

  private laneFor(model: ModelEntry, settings: RegionSettings): RequestLane {
    const limits = batchLimits(settings.batch, model);
    let lane = this.lanes.get(model.id);
    if (!lane) this.lanes.set(model.id, (lane = new RequestLane(limits, this.deps.retryPolicy)));
    else lane.setLimits(limits);
    return lane;
  }
}

/** Whatever `work` was doing when `signal` aborted (preparing images, waiting for a slot, streaming), the caller hears 'cancelled'. */
async function cancellable<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (signal?.aborted && !(err instanceof ProviderError && err.kind === 'cancelled')) throw new ProviderError('cancelled', 'Request cancelled');
    throw err;
  }
}

function isTimeout(err: unknown): boolean {
  return err instanceof ProviderError && err.kind === 'timeout';
}

/** How many images one request to this model may carry: legacy routes, local models and DAM take one. */
export function imagesPerRequest(model: ModelEntry): number {
  if (model.provider === 'nim-legacy' || model.provider === 'local' || model.provider === 'dam' || model.imageTransport === 'inline-img') return 1;
  return Math.max(1, model.capabilities.images ?? 1);
}

/** Regions drawn on a picture of another shape would land in the wrong place: refused, not guessed. */
function checkAspect(image: PreparedImage, recorded: { width: number; height: number }, name: string): void {
  if (!(recorded.width > 0 && recorded.height > 0)) return;
  const now = image.sourceWidth / image.sourceHeight;
  const then = recorded.width / recorded.height;
  if (Math.abs(now - then) / then > ASPECT_TOLERANCE) {
    throw new RegionRequestError(
      `${name} is ${image.sourceWidth}x${image.sourceHeight} now, but its regions were drawn on a ${recorded.width}x${recorded.height} picture of another shape; redraw them rather than describe the wrong part of the image.`,
    );
  }
}

/** Errors worded for a region: cancellation as such, and where to look when a server is down or slow. */
function explained(err: unknown, model: ModelEntry, settings: RegionSettings): Error {
  if (err instanceof BatchCancelledError) return new ProviderError('cancelled', `${model.label}: request cancelled`);
  if (!(err instanceof ProviderError)) return err as Error;
  const dam = model.provider === 'dam';
  if (err.kind === 'timeout') {
    const advice = `${Math.round(settings.timeoutMs / 1000)} s (imageCaptioner.generation.timeoutSeconds)${dam ? '; a Describe Anything server describes one region at a time, so a busy one answers late' : ''}`;
    return new ProviderError('timeout', `${err.message} within ${advice}.`, { status: err.status });
  }
  if (err.kind === 'unreachable' && dam) {
    return new ProviderError('unreachable', `${err.message} Start it with "Image Captioner: Start Describe Anything Server", or set imageCaptioner.dam.baseUrl to where it runs.`, { status: err.status });
  }
  return err;
}
