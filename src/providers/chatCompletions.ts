import { toDataUrl } from '../core/images/preparedImage';
import { MAX_STREAMED_CHARS, replyTooLarge } from './boundedFetch';
import { ErrorContext, serverText } from './httpErrors';
import { CaptionRequest, CaptionResult, ProviderError } from './types';

/** What the OpenAI chat-completions wire shares across clients (openai, @huggingface/inference). */

type TextPart = { type: 'text'; text: string };
type ImagePart = { type: 'image_url'; image_url: { url: string } | string };
/** A chat message as OpenAI-compatible servers read it. */
export interface ChatMessage {
  readonly role: 'system' | 'user';
  readonly content: string | Array<TextPart | ImagePart>;
}

/** The system message (if the model has one) and the user message carrying the image(s) as the model expects them. */
export function buildMessages(request: CaptionRequest): ChatMessage[] {
  const { model, prompt } = request;
  const urls = [request.image, ...(request.extraImages ?? [])].map(toDataUrl);
  const messages: ChatMessage[] = model.systemPrompt ? [{ role: 'system', content: model.systemPrompt }] : [];
  switch (model.imageTransport) {
    case 'inline-img':
      messages.push({ role: 'user', content: `${prompt} ${urls.map((url) => `<img src="${url}" />`).join(' ')}` });
      break;
    case 'image_url-string':
      messages.push({ role: 'user', content: [...urls.map((url): ImagePart => ({ type: 'image_url', image_url: url })), { type: 'text', text: prompt }] });
      break;
    default:
      messages.push({ role: 'user', content: [...urls.map((url): ImagePart => ({ type: 'image_url', image_url: { url } })), { type: 'text', text: prompt }] });
  }
  return messages;
}

/** Text of a message or delta content: a string, or a list of `{type:'text', text}` parts (Describe Anything). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
}

/** How errors of this request are worded: the model's label, its key command, its retirement note, its key redacted. */
export function errorContextFor(request: CaptionRequest): ErrorContext {
  const { model } = request;
  return {
    service: model.label,
    keyHint: `run "Image Captioner: Set API Key" (${model.key})`,
    retiredNote: model.note,
    secrets: [request.apiKey],
  };
}

/** Request and timeout signals as one; undefined when there is neither. */
export function requestSignal(request: CaptionRequest): { signal?: AbortSignal; deadline?: AbortSignal } {
  const deadline = request.timeoutMs ? AbortSignal.timeout(request.timeoutMs) : undefined;
  const signals = [request.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
  return { deadline, signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0] };
}

/** The fields of a streamed chunk that captioning reads; both clients' chunk types fit it. */
interface ChatChunk {
  readonly choices?: ReadonlyArray<{ readonly delta?: { readonly content?: unknown }; readonly finish_reason?: string | null }>;
}

/** Collects a streamed answer, reporting each delta; an aborted stream is an error, never a short caption. */
export async function readChatStream(stream: AsyncIterable<ChatChunk>, onText: (delta: string) => void, signal: AbortSignal | undefined, context: ErrorContext): Promise<CaptionResult> {
  let text = '';
  let finishReason: string | undefined;
  for await (const chunk of stream) {
    const choice = chunk.choices?.[0];
    const delta = contentText(choice?.delta?.content);
    if (delta) {
      text += delta;
      // Leaving the loop closes the stream, which aborts the request.
      if (text.length > MAX_STREAMED_CHARS) throw replyTooLarge(context.service, `more than ${MAX_STREAMED_CHARS / 1024} K characters of text`);
      onText(delta);
    }
    finishReason = choice?.finish_reason ?? finishReason;
  }
  // Both clients end an aborted stream quietly: without this a cancelled caption would look complete.
  signal?.throwIfAborted();
  if (!text) throw badResponse(context, 'a stream without text');
  return { text, finishReason };
}

export function badResponse(context: ErrorContext, what: string): ProviderError {
  return new ProviderError('bad-response', `${context.service} sent ${what}. Check that the model id and base URL point to a chat model with image input.`);
}

/** A generation that failed after the reply began: the server's own words, key redacted. */
export function streamedError(error: unknown, context: ErrorContext): ProviderError {
  const message = (error as { message?: unknown } | undefined)?.message;
  const detail = typeof error === 'string' ? error : typeof message === 'string' ? message : JSON.stringify(error);
  return new ProviderError('server', `${context.service} failed while streaming: ${serverText(detail, context.secrets)}`);
}
