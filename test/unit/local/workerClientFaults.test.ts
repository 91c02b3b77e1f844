// The worker client against misbehaving workers: scripts that speak the same protocol and then
// hang, spin, or die the way a worker out of memory dies.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalWorkerError, WorkerClient } from '../../../src/providers/local/workerClient';
import { Requests } from '../../../src/worker/protocol';

const JSONRPC = require.resolve('vscode-jsonrpc/node');

/** A worker script: answers configure, then does `onCaption` for a caption request. */
function fakeWorker(dir: string, name: string, onCaption: string, configure = true): string {
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(
    file,
    `const rpc = require(${JSON.stringify(JSONRPC)});
const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(process.stdin), new rpc.StreamMessageWriter(process.stdout));
${configure ? "connection.onRequest('worker/configure', () => ({ pid: process.pid, versions: { node: process.version, transformers: 'fake' }, backends: ['cpu'] }));" : "connection.onRequest('worker/configure', () => new Promise(() => undefined));"}
connection.onRequest('worker/caption', async () => { ${onCaption} });
connection.onRequest('worker/listCachedModels', () => []);
connection.listen();
setInterval(() => undefined, 1000);
`,
  );
  return file;
}

describe('worker client faults', function () {
  this.timeout(20_000);
  let dir: string;
  const clients: WorkerClient[] = [];
  const logs: string[] = [];
  const client = (workerPath: string, stopGraceMs = 300): WorkerClient => {
    const created = new WorkerClient({
      workerPath,
      execPath: process.execPath,
      idleExitMs: 0,
      stopGraceMs,
      log: (line) => logs.push(line),
      settings: () => ({ cacheDir: dir, allowRemoteModels: false, device: 'cpu' }),
    });
    clients.push(created);
    return created;
  };
  const caption = (c: WorkerClient, options = {}) =>
    c.request(Requests.caption, { model: { id: 'x', task: 'image-to-text' }, images: [{ path: 'a.png' }] }, options);
  const gone = (pid: number) => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  const until = async (check: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-fake-worker-'));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    logs.length = 0;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a worker dying out of memory fails the request saying so, and the next request starts a fresh one', async () => {
    const c = client(fakeWorker(dir, 'oom', "process.stderr.write('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\\n'); setTimeout(() => process.exit(134), 50); return new Promise(() => undefined);"));
    await assert.rejects(caption(c), (error: unknown) => {
      assert.ok(error instanceof LocalWorkerError);
      assert.equal(error.kind, 'crashed');
      assert.match(error.message, /exited with code 134/);
      assert.match(error.message, /ran out of memory: choose a smaller model or dtype/);
      return true;
    });
    assert.deepEqual(await c.request(Requests.listCachedModels, {}), []);
    assert.equal(c.startCount, 2);
    assert.ok(logs.some((line) => line.includes('[worker] FATAL ERROR: Reached heap limit')), 'its stderr reached the log');
  });

  it('a worker that never finishes starting times out, is killed, and the next request tries again', async () => {
    const c = client(fakeWorker(dir, 'hang', '', false));
    await assert.rejects(caption(c, { timeoutMs: 400 }), (error: unknown) => error instanceof LocalWorkerError && error.kind === 'timeout');
    await until(() => logs.some((line) => /did not stop a cancelled request in time/.test(line)), 3000);
    await assert.rejects(caption(c, { timeoutMs: 400 }), (error: unknown) => error instanceof LocalWorkerError && error.kind === 'timeout');
    assert.equal(c.startCount, 2, 'a second start, not a wait on the killed one');
  });

  it('a worker stuck in a long synchronous call is killed after the grace time once its request is cancelled', async () => {
    const c = client(fakeWorker(dir, 'spin', 'const end = Date.now() + 60000; while (Date.now() < end) {}'));
    const controller = new AbortController();
    const pending = caption(c, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pid = (await c.pid())!;
    controller.abort();
    await assert.rejects(pending, (error: unknown) => error instanceof LocalWorkerError && error.kind === 'cancelled');
    await until(() => gone(pid), 5000);
    assert.ok(logs.some((line) => /did not stop a cancelled request in time; restarting it/.test(line)));
    assert.deepEqual(await c.request(Requests.listCachedModels, {}), []);
    assert.equal(c.startCount, 2);
  });
});
