/** Transport faults every chat-completions provider must turn into the right ProviderError kind, streamed or not. */
import * as assert from 'node:assert/strict';
import type { CaptionRequest, ProviderError } from '../../../src/providers/types';
import { faults, type OpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';

export interface FaultContext {
  readonly server: () => OpenAiFakeServer;
  /** The request as the suite builds it, with these fields changed. */
  readonly request: (overrides: Partial<CaptionRequest>) => CaptionRequest;
  /** Sends it and returns the error it must fail with. */
  readonly failure: (request: CaptionRequest) => Promise<ProviderError>;
}

/** Defines the fault tests (hang past the time limit, malformed JSON, reset, empty choices, abort) in both modes. */
export function transportFaultTests(context: FaultContext): void {
  for (const streamed of [false, true]) {
    const mode = streamed ? 'streamed' : 'not streamed';
    const onText = streamed ? () => undefined : undefined;

    it(`hang past timeoutMs → timeout in time (${mode})`, async () => {
      context.server().setScript([faults.hang()]);
      const started = Date.now();
      assert.equal((await context.failure(context.request({ timeoutMs: 300, onText }))).kind, 'timeout');
      assert.ok(Date.now() - started < 800, `took ${Date.now() - started} ms`);
    });

    it(`malformed JSON → bad-response; reset mid-reply → network; empty choices → bad-response (${mode})`, async () => {
      context.server().setScript([faults.malformed(), faults.reset(), faults.emptyChoices()]);
      assert.equal((await context.failure(context.request({ onText }))).kind, 'bad-response');
      assert.equal((await context.failure(context.request({ onText }))).kind, 'network');
      assert.equal((await context.failure(context.request({ onText }))).kind, 'bad-response');
    });

    it(`abort → cancelled quickly (${mode})`, async () => {
      context.server().setScript([faults.hang()]);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      assert.equal((await context.failure(context.request({ signal: controller.signal, onText }))).kind, 'cancelled');
      assert.ok(Date.now() - started < 400, `took ${Date.now() - started} ms`);
    });
  }
}
