import * as assert from 'node:assert/strict';
import type { RegionReply, RegionRequest, ToRegionWebviewMessage } from '../../../src/webviews/protocol/regionEditorMessages';
import { availability, RegionRequests } from '../../../src/webviews/regionRequests';

/** A request runner whose answers the test releases one by one. */
function scripted() {
  const calls: Array<{ request: RegionRequest; onText: (d: string) => void; signal: AbortSignal; answer: (r: RegionReply) => void; fail: (e: Error) => void }> = [];
  const run = (request: RegionRequest, onText: (d: string) => void, signal: AbortSignal) => new Promise<RegionReply>((answer, fail) => {
    calls.push({ request, onText, signal, answer, fail });
    signal.addEventListener('abort', () => fail(new Error('aborted inside the service')));
  });
  return { calls, run };
}

const settle = () => new Promise((r) => setTimeout(r, 80));

describe('region editor request/reply', () => {
  it('each request gets exactly its own reply, in whatever order they finish, with its deltas tagged', async () => {
    const posted: ToRegionWebviewMessage[] = [];
    const { calls, run } = scripted();
    const requests = new RegionRequests({ run }, (m) => posted.push(m));
    requests.start('q1', { kind: 'describe', regionId: 'a' });
    requests.start('q2', { kind: 'describe', regionId: 'b' });
    calls[0].onText('one ');
    calls[1].onText('two');
    calls[0].onText('more');
    calls[1].answer({ kind: 'describe', regionId: 'b', text: 'two', model: 'm' });
    await settle();
    calls[0].answer({ kind: 'describe', regionId: 'a', text: 'one more', model: 'm' });
    await settle();
    assert.deepEqual(posted, [
      { type: 'delta', requestId: 'q2', text: 'two' },
      { type: 'reply', requestId: 'q2', reply: { kind: 'describe', regionId: 'b', text: 'two', model: 'm' } },
      { type: 'delta', requestId: 'q1', text: 'one more' },
      { type: 'reply', requestId: 'q1', reply: { kind: 'describe', regionId: 'a', text: 'one more', model: 'm' } },
    ]);
  });

  it('an error answers its own request; cancel by id aborts only that one and says cancelled', async () => {
    const posted: ToRegionWebviewMessage[] = [];
    const { calls, run } = scripted();
    const requests = new RegionRequests({ run }, (m) => posted.push(m));
    requests.start('q1', { kind: 'fuse' });
    requests.start('q2', { kind: 'segment', prompt: { points: [{ x: 0.5, y: 0.5, positive: true }] } });
    requests.start('q3', { kind: 'describe', regionId: 'c' });
    requests.cancel('q2');
    calls[0].fail(new Error('the server answered 500'));
    await settle();
    assert.equal(calls[1].signal.aborted, true);
    assert.equal(calls[0].signal.aborted, false);
    assert.equal(calls[2].signal.aborted, false);
    assert.deepEqual(posted, [
      { type: 'replyError', requestId: 'q2', message: 'Cancelled.', cancelled: true },
      { type: 'replyError', requestId: 'q1', message: 'the server answered 500', cancelled: false },
    ]);
    requests.dispose();
    await settle();
    assert.equal(calls[2].signal.aborted, true, 'closing the editor stops what still runs');
  });

  it('an id already running is refused rather than answered twice', async () => {
    const posted: ToRegionWebviewMessage[] = [];
    const { calls, run } = scripted();
    const requests = new RegionRequests({ run }, (m) => posted.push(m));
    requests.start('q1', { kind: 'fuse' });
    requests.start('q1', { kind: 'fuse' });
    assert.equal(calls.length, 1);
    assert.deepEqual(posted, [{ type: 'replyError', requestId: 'q1', message: 'A request with id q1 is already running.', cancelled: false }]);
  });

  it('says which services are missing, and that none run in an untrusted workspace', () => {
    assert.deepEqual(availability({ describe: async () => ({ text: '', model: '' }) }, true), {
      segment: 'Click-to-segment is not available: no segmentation service is set up in this window.',
      describe: undefined,
      fuse: 'Fuse into Caption is not available: no region describer is set up in this window.',
    });
    assert.match(availability({ describe: async () => ({ text: '', model: '' }) }, false).describe!, /not trusted/);
  });
});
