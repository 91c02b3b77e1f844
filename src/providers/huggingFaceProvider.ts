import {
  InferenceClient,
  InferenceClientHubApiError,
  InferenceClientInputError,
  InferenceClientProviderApiError,
  InferenceClientProviderOutputError,
  InferenceClientRoutingError,
} from '@huggingface/inference';
import { serviceFetch } from './boundedFetch';
import { errorFromFailure } from './connectionErrors';
import { ErrorContext, errorFromResponse, redactSecrets } from './httpErrors';
import { badResponse, buildMessages, contentText, errorContextFor, readChatStream, requestSignal, streamedError } from './chatCompletions';
import { CaptionProvider, CaptionRequest, CaptionResult, ProviderError } from './types';

type ChatArgs = Parameters<InferenceClient['chatCompletion']>[0];
/** What the last reply of a call said, kept for error messages. */
type LastReply = { headers?: Headers; errorBody?: string };

export interface HuggingFaceProviderOptions {
  /** The fetch the client uses (tests route router.huggingface.co to a local server through it). */
  readonly fetch?: typeof fetch;
}

/**
 * Hugging Face Inference through `@huggingface/inference`: the router (provider "auto" or a named one)
 * or a custom endpoint (TGI / Inference Endpoints) when the model has a base URL.
 */
export class HuggingFaceProvider implements CaptionProvider {
  readonly kind = 'huggingface' as const;

  constructor(private readonly options: HuggingFaceProviderOptions = {}) {}

  async caption(request: CaptionRequest): Promise<CaptionResult> {
    const { model } = request;
    const context = errorContextFor(request);
    // The router takes only Hugging Face tokens; a custom endpoint may need none.
    if (!model.baseUrl && !request.apiKey) throw new ProviderError('auth', `${context.service} needs a Hugging Face token (hf_...): ${context.keyHint}`);
    const { signal, deadline } = requestSignal(request);
    const baseFetch = serviceFetch(context, 'request', this.options.fetch ?? fetch);
    const last: LastReply = {};
    // The library's errors keep the status but not the headers (Retry-After), nor a problem JSON body when streaming.
    const fetchKeepingReply: typeof fetch = async (input, init) => {
      const response = await baseFetch(input, init);
      last.headers = response.headers;
      last.errorBody = response.ok ? undefined : await response.clone().text().catch(() => undefined);
      return response;
    };
    // A client is cheap (no sockets of its own): Node's global fetch pool keeps connections alive.
    const client = new InferenceClient(request.apiKey ?? '', model.baseUrl ? { endpointUrl: model.baseUrl } : {});
    const args = {
      ...model.extraBody,
      ...request.params,
      model: model.model,
      // The library refuses a provider together with an endpoint URL.
      ...(model.baseUrl ? {} : { provider: model.hfProvider ?? 'auto' }),
      messages: buildMessages(request),
      stream: undefined,
    } as unknown as ChatArgs;
    // retry_on_error false: the library would otherwise retry a 503 forever, without delay.
    const options = { signal, retry_on_error: false, fetch: fetchKeepingReply };
    try {
      if (request.onText && model.capabilities.stream) return await readChatStream(client.chatCompletionStream(args, options), request.onText, signal, context);
      const output = await client.chatCompletion(args, options);
      const choice = output?.choices?.[0];
      const text = contentText(choice?.message?.content);
      if (!text) throw badResponse(context, 'a reply without text');
      return { text, finishReason: choice?.finish_reason ?? undefined };
    } catch (err) {
      throw toProviderError(err, context, last, deadline?.aborted === true, request.signal?.aborted === true);
    }
  }
}

function toProviderError(err: unknown, context: ErrorContext, last: LastReply, timedOut: boolean, cancelled: boolean): ProviderError {
  if (err instanceof ProviderError) return err;
  if (cancelled || timedOut) return errorFromFailure(err, context, timedOut, cancelled);
  if (err instanceof InferenceClientProviderApiError || err instanceof InferenceClientHubApiError) {
    const { status, body } = err.httpResponse;
    if (status >= 400) return errorFromResponse(status, last.errorBody ?? (typeof body === 'string' ? body : JSON.stringify(body)), last.headers, context);
    // A 2xx that failed anyway: an error event mid-stream, or a reply that is no event stream.
    const streamed = typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined;
    return streamed !== undefined ? streamedError(streamed, context) : badResponse(context, 'a reply in an unexpected format');
  }
  if (err instanceof InferenceClientRoutingError) return new ProviderError('auth', `${context.service}: the Hugging Face router takes only Hugging Face tokens (hf_...): ${context.keyHint}`);
  if (err instanceof InferenceClientProviderOutputError || err instanceof SyntaxError) return badResponse(context, 'a reply that is not a chat completion');
  if (err instanceof InferenceClientInputError) return new ProviderError('bad-request', redactSecrets(`${context.service}: ${err.message}`, context.secrets));
  return errorFromFailure(err, context, false, false);
}
