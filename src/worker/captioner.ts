/**
 * Caption generation for each local model family, batched where the family allows it, stoppable
 * between generation steps, streaming text for single images.
 */
import { InterruptableStoppingCriteria, type PreTrainedModel, type RawImage, type Tensor, type TextStreamer } from '@huggingface/transformers';
import type { LoadedModel } from './modelLoader';
import { FLORENCE_CAPTION_TASKS } from './protocol';

export interface GenerateControl {
  readonly stop: InterruptableStoppingCriteria;
  /** Text as it is generated (single-image requests). */
  readonly onText?: (delta: string) => void;
  /** Called once per generated token (all sequences of a batch together). */
  readonly onStep: () => void;
  /** Images captioned so far. */
  readonly onItems: (done: number, total: number) => void;
}

export function newControl(
  onText: ((delta: string) => void) | undefined,
  onStep: () => void,
  onItems: (done: number, total: number) => void,
): GenerateControl {
  return { stop: new InterruptableStoppingCriteria(), onText, onStep, onItems };
}

/**
 * onnxruntime-node may finish a small session run without an event-loop turn, so a generate loop
 * would never let a cancellation (or any other message) in: each step first yields to I/O.
 */
export function yieldBetweenSteps(model: { forward(inputs: unknown): Promise<unknown> }): void {
  const forward = model.forward.bind(model);
  model.forward = async (inputs: unknown) => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return forward(inputs);
  };
}


/** Captions for images already decoded; `images[i]` undefined means it failed to load (error kept). */
export async function captionImages(
  loaded: LoadedModel,
  images: readonly RawImage[],
  options: { readonly prompt?: string; readonly maxNewTokens: number },
  control: GenerateControl,
): Promise<string[]> {
  switch (loaded.task) {
    case 'image-to-text': {
      const texts = await captionWithVisionEncoderDecoder(loaded, images, options.maxNewTokens, control);
      control.onItems(images.length, images.length);
      return texts;
    }
    case 'florence2':
      return oneByOne(images, control, (image) => captionWithFlorence(loaded, image, options, control));
    case 'smolvlm':
      return oneByOne(images, control, (image) => captionWithSmolVlm(loaded, image, options, control));
    default:
      throw new Error(`A ${loaded.task} model cannot caption images`);
  }
}

/** Families that generate one image at a time; a cancellation stops before the next image. */
async function oneByOne(images: readonly RawImage[], control: GenerateControl, caption: (image: RawImage) => Promise<string>): Promise<string[]> {
  const texts: string[] = [];
  for (const image of images) {
    if (control.stop.interrupted) break;
    texts.push(await caption(image));
    control.onItems(texts.length, images.length);
  }
  return texts;
}

async function captionWithVisionEncoderDecoder(
  loaded: Extract<LoadedModel, { task: 'image-to-text' }>,
  images: readonly RawImage[],
  maxNewTokens: number,
  control: GenerateControl,
): Promise<string[]> {
  const { pixel_values } = await loaded.processor(images as RawImage[]);
  const decode = images.length === 1 ? (ids: number[]) => loaded.tokenizer.decode(ids, { skip_special_tokens: true }) : undefined;
  const output = await generate(loaded.model, { inputs: pixel_values }, maxNewTokens, control, decode);
  return loaded.tokenizer.batch_decode(output, { skip_special_tokens: true }).map((text: string) => text.trim());
}

async function captionWithFlorence(
  loaded: Extract<LoadedModel, { task: 'florence2' }>,
  image: RawImage,
  options: { readonly prompt?: string; readonly maxNewTokens: number },
  control: GenerateControl,
): Promise<string> {
  const processor = loaded.processor as unknown as FlorenceProcessor;
  const typed = options.prompt?.trim() ?? '';
  const task = (FLORENCE_CAPTION_TASKS as readonly string[]).includes(typed) ? typed : '<MORE_DETAILED_CAPTION>';
  const prompts = processor.construct_prompts(task);
  const inputs = await processor(image, prompts);
  const output = await generate(loaded.model, inputs, options.maxNewTokens, control, (ids) => processor.tokenizer.decode(ids, { skip_special_tokens: true }));
  const generated = processor.batch_decode(output, { skip_special_tokens: false })[0];
  const parsed = processor.post_process_generation(generated, task, image.size) as Record<string, unknown>;
  const text = parsed[task];
  return typeof text === 'string' ? text.trim() : String(text ?? '').trim();
}

async function captionWithSmolVlm(
  loaded: Extract<LoadedModel, { task: 'smolvlm' }>,
  image: RawImage,
  options: { readonly prompt?: string; readonly maxNewTokens: number },
  control: GenerateControl,
): Promise<string> {
  const processor = loaded.processor as unknown as ChatProcessor;
  const messages = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: options.prompt || 'Describe this image.' }] }];
  const text = processor.apply_chat_template(messages, { add_generation_prompt: true });
  const inputs = await processor(text, [image], { do_image_splitting: false });
  const promptLength = (inputs.input_ids as Tensor).dims.at(-1) ?? 0;
  const output = await generate(loaded.model, inputs, options.maxNewTokens, control, (ids) => processor.tokenizer.decode(ids, { skip_special_tokens: true }));
  const answer = processor.batch_decode(output.slice([0, output.dims[0]], [promptLength, output.dims[1]]), { skip_special_tokens: true })[0];
  return answer.trim();
}

/** generate() stopped by the request's control and streamed through it (`decode` turns generated ids into text). */
async function generate(
  model: PreTrainedModel,
  inputs: Record<string, unknown>,
  maxNewTokens: number,
  control: GenerateControl,
  decode: ((ids: number[]) => string) | undefined,
): Promise<Tensor> {
  return (await model.generate({
    ...inputs,
    max_new_tokens: maxNewTokens,
    stopping_criteria: control.stop,
    streamer: stepStreamer(control, decode),
  })) as Tensor;
}

/**
 * A streamer for generate(): it receives the prompt ids first, then one token per step (per
 * sequence); `decode` gets only the generated ids. It counts steps and, for a single sequence
 * with a listener, reports the decoded text's growth.
 */
function stepStreamer(control: GenerateControl, decode: ((ids: number[]) => string) | undefined): TextStreamer {
  let ids: number[] | undefined;
  let emitted = '';
  return {
    put(value: bigint[][]) {
      if (!ids) {
        ids = [];
        return; // the prompt (decoder start tokens)
      }
      control.onStep();
      if (!decode || !control.onText) return;
      ids.push(...(value[0] ?? []).map(Number));
      if (!ids.length) return;
      const text = decode(ids);
      if (text.length > emitted.length && text.startsWith(emitted)) {
        control.onText(text.slice(emitted.length));
        emitted = text;
      }
    },
    end() {},
  } as unknown as TextStreamer;
}

interface FlorenceProcessor {
  (image: RawImage, prompts: string | string[]): Promise<Record<string, unknown>>;
  construct_prompts(task: string): string | string[];
  post_process_generation(text: string, task: string, size: [number, number]): unknown;
  batch_decode(ids: Tensor, options: { skip_special_tokens: boolean }): string[];
  tokenizer: { decode(ids: number[], options: { skip_special_tokens: boolean }): string };
}

interface ChatProcessor {
  (text: string, images: RawImage[], options: Record<string, unknown>): Promise<Record<string, unknown>>;
  apply_chat_template(messages: unknown[], options: { add_generation_prompt: boolean }): string;
  batch_decode(ids: Tensor, options: { skip_special_tokens: boolean }): string[];
  tokenizer: { decode(ids: number[], options: { skip_special_tokens: boolean }): string };
}

