import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { serviceFetch } from './boundedFetch';
import { errorFromFailure } from './connectionErrors';
import { ErrorContext, errorFromResponse } from './httpErrors';
import { badResponse, buildMessages, contentText, errorContextFor, readChatStream, requestSignal, streamedError } from './chatCompletions';
import { CaptionProvider, CaptionRequest, CaptionResult, ProviderError } from './types';

/** Used when a model entry names no base URL; never the ambient OPENAI_BASE_URL. */
const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** Clients kept, one per (base URL, key); their keep-alive sockets live in Node's shared fetch pool. */
const MAX_CLIENTS = 8;

/** Any OpenAI chat-completions server: OpenAI, NVIDIA NIM, the Hugging Face router, Ollama, vLLM, LM Studio, llama.cpp, Describe Anything. */
export class OpenAiCompatibleProvider implements CaptionProvider {
  readonly kind = 'openai-compatible' as const;
  private readonly clients = new Map<string, OpenAI>();

  async caption(request: CaptionRequest): Promise<CaptionResult> {
    const { model } = request;
    const context = errorContextFor(request);
    const { signal, deadline } = requestSignal(request);
    const streaming = request.onText !== undefined && model.capabilities.stream;
    // Parameters go out as top-level JSON fields, unknown ones included (repetition_penalty, ...); streaming is ours to decide.
    const body = { ...model.extraBody, ...request.params, model: model.model, messages: buildMessages(request), stream: undefined } as unknown as ChatCompletionCreateParamsNonStreaming;
    // openai rejects `timeout: undefined`; without a limit its own default (10 minutes) applies.
    const options = request.timeoutMs ? { signal, timeout: request.timeoutMs } : { signal };
    try {
      const client = this.clientFor(model.baseUrl ?? OPENAI_BASE_URL, request.apiKey, context);
      if (!streaming) return resultOf(await client.chat.completions.create(body, options), context);
      const stream = await client.chat.completions.create({ ...body, stream: true }, options);
      return await readChatStream(stream, request.onText!, signal, context);
    } catch (err) {
      const timedOut = deadline?.aborted === true || err instanceof APIConnectionTimeoutError;
      throw toProviderError(err, context, timedOut, request.signal?.aborted === true);
    }
  }

  private clientFor(baseURL: string, apiKey: string | undefined, context: ErrorContext): OpenAI {
    const cacheKey = `${baseURL}\n${apiKey ?? ''}\n${context.service}`;
    let client = this.clients.get(cacheKey);
    if (client) this.clients.delete(cacheKey);
    else {
      client = new OpenAI({
        apiKey: apiKey ?? 'not-needed',
        baseURL,
        // Ambient OPENAI_* settings must not leak into requests to other services.
        organization: null,
        project: null,
        // Retries are the batch engine's job: it honours Retry-After across all requests of a batch.
        maxRetries: 0,
        logLevel: 'off',
        fetch: fetchKeepingErrorBody(serviceFetch(context, 'request')),
      });
    }
    this.clients.set(cacheKey, client);
    if (this.clients.size > MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
    return client;
  }
}

/** Raw error bodies by the headers object openai hands to its APIError. */
const errorBodies = new WeakMap<Headers, string>();

/** openai keeps only the `error` field of an error body; NVIDIA's problem JSON explains itself in `detail`/`title`. */
function fetchKeepingErrorBody(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (response.ok) return response;
    const text = await response.text();
    const copy = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    errorBodies.set(copy.headers, text);
    return copy;
  };
}

function resultOf(completion: ChatCompletion | unknown, context: ErrorContext): CaptionResult {
  const choice = (completion as Partial<ChatCompletion> | undefined)?.choices?.[0];
  const text = contentText(choice?.message?.content);
  if (!text) throw badResponse(context, typeof completion === 'object' ? 'a reply without text' : 'a reply that is not JSON');
  return { text, finishReason: choice?.finish_reason ?? undefined };
}


function toProviderError(err: unknown, context: ErrorContext, timedOut: boolean, cancelled: boolean): ProviderError {
  if (err instanceof ProviderError) return err;
  if (cancelled || timedOut || err instanceof APIUserAbortError) return errorFromFailure(err, context, timedOut, cancelled || !timedOut);
  // The undici error inside carries the code (ECONNREFUSED, UND_ERR_SOCKET, ...).
  if (err instanceof APIConnectionError) return errorFromFailure(err.cause ?? err, context, false, false);
  if (err instanceof APIError && err.status !== undefined) {
    const body = errorBodies.get(err.headers as Headers) ?? JSON.stringify({ error: err.error ?? err.message });
    return errorFromResponse(err.status, body, err.headers, context);
  }
  // A `data: {"error": ...}` event in the middle of a stream.
  if (err instanceof APIError) return streamedError(err.error, context);
  if (err instanceof SyntaxError) return badResponse(context, 'a reply that is not valid JSON');
  return errorFromFailure(err, context, false, false);
}
