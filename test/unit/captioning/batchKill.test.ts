import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BatchItem } from '../../../src/core/captioning/batchTypes';
import { LoggedRequest, OpenAiFakeServer, startOpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';
import { TempDirs } from '../helpers/tempTree';
import { makeItems, sleep, tempFilesIn } from './batchTestKit';

const IMAGES = 40;
const CONCURRENCY = 4;

/** A batch in its own process, captioning through the fake server; resumes when JOURNAL_FILE is set. */
const BATCH_PROCESS = `
const { runBatch } = require(process.env.BATCH_JOB_JS);
const { resumeBatch } = require(process.env.BATCH_RESUME_JS);
const { ProviderError } = require(process.env.PROVIDER_TYPES_JS);
const { DatasetBoundary } = require(process.env.BOUNDARY_JS);
async function generate(item, signal) {
  const res = await fetch(process.env.SERVER_URL + '/chat/completions', {
    method: 'POST', headers: { 'content-type': 'application/json' }, signal,
    body: JSON.stringify({ model: 'fake', messages: [{ role: 'user', content: 'Caption ' + item.imagePath }] }),
  });
  if (!res.ok) throw new ProviderError(res.status === 429 ? 'rate-limit' : 'server', 'HTTP ' + res.status, { status: res.status });
  return (await res.json()).choices[0].message.content;
}
const boundary = DatasetBoundary.atSync(process.env.DATASET);
const runtime = { generate, boundary, concurrency: Number(process.env.CONCURRENCY) };
const run = process.env.JOURNAL_FILE
  ? resumeBatch(process.env.JOURNAL_FILE, runtime)
  : runBatch({ ...runtime, items: JSON.parse(process.env.ITEMS), mode: 'append', journal: { folder: process.env.STORAGE, jobId: 'killed-job' } });
run.then((s) => console.log('summary ' + JSON.stringify({ written: s.written, failed: s.failed })), (err) => { console.error(err); process.exit(3); });
`;

/** The image a logged request asks about. */
function imageOf(request: LoggedRequest): string {
  return String(request.body?.messages?.[0]?.content ?? '').replace(/^Caption /, '');
}

function requestsPerImage(server: OpenAiFakeServer, from = 0): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of server.requests.slice(from)) counts.set(imageOf(request), (counts.get(imageOf(request)) ?? 0) + 1);
  return counts;
}

const oldCaption = (i: number): string => `Old caption ${i}.`;
const newCaption = (item: BatchItem): string => `New caption for ${path.basename(item.imagePath)}.`;

describe('batch: kill -9 mid-batch, then resume in a new process', function () {
  this.timeout(30_000);
  const temp = new TempDirs();
  let server: OpenAiFakeServer;
  afterEach(async () => {
    await server?.close();
    await temp.cleanup();
  });

  /** Runs the batch process; kills it with SIGKILL once the server has seen `killAfterRequests` requests. */
  async function runProcess(env: Record<string, string>, killAfterRequests?: number): Promise<{ killed: boolean; stdout: string }> {
    const child = spawn(process.execPath, ['-e', BATCH_PROCESS], {
      env: {
        ...process.env,
        ...env,
        BATCH_JOB_JS: require.resolve('../../../src/core/captioning/batchJob'),
        BATCH_RESUME_JS: require.resolve('../../../src/core/captioning/batchResume'),
        PROVIDER_TYPES_JS: require.resolve('../../../src/providers/types'),
        BOUNDARY_JS: require.resolve('../../../src/core/files/datasetBoundary'),
        SERVER_URL: server.url,
        CONCURRENCY: String(CONCURRENCY),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    if (killAfterRequests !== undefined) {
      const start = server.requests.length;
      while (server.requests.length - start < killAfterRequests && child.exitCode === null) await sleep(2);
      await sleep(Math.random() * 40); // land anywhere in a request, a write or a journal append
      child.kill('SIGKILL');
    }
    const { code, signal } = await exited;
    if (killAfterRequests === undefined) assert.equal(code, 0, `batch process failed: ${stderr}`);
    else assert.equal(signal, 'SIGKILL', `batch process ended before the kill (${code}): ${stderr}`);
    return { killed: signal === 'SIGKILL', stdout };
  }

  /** Items whose caption file holds the new text now. */
  function writtenNow(items: readonly BatchItem[]): BatchItem[] {
    return items.filter((item, i) => {
      const text = fs.readFileSync(item.captionPath, 'utf8');
      if (text === oldCaption(i)) return false;
      assert.equal(text, `${oldCaption(i)} ${newCaption(item)}`, `${item.captionPath} is partial or doubled`);
      return true;
    });
  }

  it('requests no image whose caption was written before the kill, and captions every image exactly once', async () => {
    server = await startOpenAiFakeServer({ latencyMs: 40, replyText: (request) => `New caption for ${path.basename(imageOf(request))}.` });
    const dir = await temp.make();
    const storage = await temp.make('ic-storage-');
    const items = await makeItems(dir, IMAGES, oldCaption);
    const journalFile = path.join(storage, 'killed-job.batch.jsonl');

    const kills: { requestsSoFar: number; writtenBefore: BatchItem[] }[] = [];
    await runProcess({ DATASET: dir, ITEMS: JSON.stringify(items), STORAGE: storage }, 12);
    kills.push({ requestsSoFar: server.requests.length, writtenBefore: writtenNow(items) });
    assert.ok(fs.existsSync(journalFile), 'the killed run left its journal');
    await runProcess({ DATASET: dir, JOURNAL_FILE: journalFile }, 12);
    kills.push({ requestsSoFar: server.requests.length, writtenBefore: writtenNow(items) });
    const { stdout } = await runProcess({ DATASET: dir, JOURNAL_FILE: journalFile });
    assert.match(stdout, /summary \{"written":\d+,"failed":0\}/);

    for (const [n, kill] of kills.entries()) {
      assert.ok(kill.writtenBefore.length > 0 && kill.writtenBefore.length < IMAGES, `kill ${n + 1} came after ${kill.writtenBefore.length} writes`);
      const askedAfter = requestsPerImage(server, kill.requestsSoFar);
      const askedAgain = kill.writtenBefore.filter((item) => askedAfter.has(item.imagePath));
      assert.deepEqual(askedAgain.map((item) => item.imagePath), [], `kill ${n + 1}: written images were requested again`);
    }
    const perImage = requestsPerImage(server);
    assert.deepEqual([...perImage.keys()].sort(), items.map((item) => item.imagePath).sort());
    const repeated = [...perImage.entries()].filter(([, count]) => count > 1);
    // only requests in flight at a kill, whose answers were never written, may be asked again
    assert.ok(repeated.length <= CONCURRENCY * kills.length, `${repeated.length} images requested more than once`);
    repeated.forEach(([, count]) => assert.ok(count <= 1 + kills.length));
    assert.equal(writtenNow(items).length, IMAGES);
    assert.deepEqual(tempFilesIn(dir), []);
    assert.deepEqual(fs.readdirSync(storage), [], 'the finished job deleted its journal');
  });
});
