import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as transformers from '@huggingface/transformers';
import { taggerFiles, type DownloadProgress } from '../../../src/worker/taggerFiles';
import type { WorkerSettings } from '../../../src/worker/protocol';

describe('WD tagger files: models folder, cache, download from the hub only when allowed', function () {
  this.timeout(20_000);
  const id = 'SmilingWolf/wd-vit-tagger-v3';
  const model = Buffer.alloc(3 * 1024 * 1024 + 5, 7); // over a few MiB: more than one progress step
  const csv = 'tag_id,name,category,count\n1,general,9,1\n';
  let root: string;
  let server: http.Server;
  let requests: Array<{ url: string; authorization?: string }>;
  /** A repository whose model.onnx download is cut midway this many more times (then served whole). */
  const cutId = 'someone/cut-tagger';
  let cutsLeft = 0;
  /** A repository whose selected_tags.csv comes gzip-encoded, as a CDN serves text. */
  const gzipId = 'someone/gzip-tagger';
  let savedHost: string;
  let savedToken: string | undefined;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-tagger-files-'));
    server = http.createServer((req, res) => {
      requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
      if (req.url === `/${cutId}/resolve/main/model.onnx` && cutsLeft > 0) {
        // the connection drops halfway through the body, as a flaky network or proxy does
        cutsLeft--;
        res.writeHead(200, { 'content-length': model.length });
        res.write(model.subarray(0, model.length >> 1), () => res.socket?.destroy());
        return;
      }
      if (req.url === `/${gzipId}/resolve/main/selected_tags.csv` && /gzip/.test(String(req.headers['accept-encoding']))) {
        // a CDN compresses text: content-length counts the gzip bytes, fetch hands over the decoded ones
        const gzipped = gzipSync(Buffer.from(csv));
        res.writeHead(200, { 'content-length': gzipped.length, 'content-encoding': 'gzip' }).end(gzipped);
        return;
      }
      if (req.url?.startsWith(`/${cutId}/`)) req.url = req.url.replace(cutId, id);
      if (req.url?.startsWith(`/${gzipId}/`)) req.url = req.url.replace(gzipId, id);
      const body = req.url === `/${id}/resolve/main/model.onnx` ? model : req.url === `/${id}/resolve/main/selected_tags.csv` ? Buffer.from(csv) : undefined;
      if (!body) {
        res.writeHead(404).end('Entry not found');
        return;
      }
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    savedHost = transformers.env.remoteHost;
    savedToken = process.env.HF_TOKEN;
    transformers.env.remoteHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  beforeEach(() => {
    requests = [];
  });
  after(async () => {
    transformers.env.remoteHost = savedHost;
    if (savedToken === undefined) delete process.env.HF_TOKEN;
    else process.env.HF_TOKEN = savedToken;
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(root, { recursive: true, force: true });
  });

  const settings = (name: string, extra: Partial<WorkerSettings> = {}): WorkerSettings => ({
    cacheDir: path.join(root, name, 'cache'),
    allowRemoteModels: true,
    device: 'cpu',
    ...extra,
  });

  it('downloads both files into <cache>/<org>/<name>/ with progress, and finds them there next time without asking', async () => {
    process.env.HF_TOKEN = 'hf_secret_for_the_hub_only';
    const s = settings('download');
    const progress: DownloadProgress[] = [];
    const files = await taggerFiles(id, s, (p) => progress.push(p));
    const folder = path.join(s.cacheDir, 'SmilingWolf', 'wd-vit-tagger-v3');
    assert.deepEqual(files, { 'model.onnx': path.join(folder, 'model.onnx'), 'selected_tags.csv': path.join(folder, 'selected_tags.csv') });
    assert.ok(fs.readFileSync(files['model.onnx']).equals(model));
    assert.equal(fs.readFileSync(files['selected_tags.csv'], 'utf8'), csv);
    assert.deepEqual(fs.readdirSync(folder).sort(), ['model.onnx', 'selected_tags.csv'], 'no temporary file left');
    const modelSteps = progress.filter((p) => p.file === 'model.onnx');
    assert.ok(modelSteps.length >= 3, `a step per MiB: ${modelSteps.length}`);
    assert.deepEqual(modelSteps.at(-1), { file: 'model.onnx', loaded: model.length, total: model.length });
    assert.deepEqual(requests.map((r) => r.url), [`/${id}/resolve/main/model.onnx`, `/${id}/resolve/main/selected_tags.csv`]);
    assert.deepEqual(requests.map((r) => r.authorization), [undefined, undefined], 'the hub token goes to the hub only');
    requests = [];
    assert.deepEqual(await taggerFiles(id, s), files);
    assert.deepEqual(requests, []);
  });

  it('offline: a missing file is "not found locally" naming both folders, and nothing is asked', async () => {
    const s = settings('offline', { allowRemoteModels: false, localModelPath: path.join(root, 'offline', 'models') });
    await assert.rejects(taggerFiles(id, s), (error: Error) => {
      assert.match(error.message, /^model\.onnx and selected_tags\.csv not found locally/);
      assert.ok(error.message.includes(path.join(s.localModelPath!, id)) && error.message.includes(path.join(s.cacheDir, id)), error.message);
      return true;
    });
    assert.deepEqual(requests, []);
  });

  it('the models folder comes first; only what is missing is downloaded', async () => {
    const s = settings('local', { localModelPath: path.join(root, 'local', 'models') });
    const local = path.join(s.localModelPath!, id);
    fs.mkdirSync(local, { recursive: true });
    fs.writeFileSync(path.join(local, 'selected_tags.csv'), csv);
    const files = await taggerFiles(id, s);
    assert.equal(files['selected_tags.csv'], path.join(local, 'selected_tags.csv'));
    assert.equal(files['model.onnx'], path.join(s.cacheDir, id, 'model.onnx'));
    assert.deepEqual(requests.map((r) => r.url), [`/${id}/resolve/main/model.onnx`]);
  });

  it('a download cut midway fails naming the file, where from and how far it got, leaves no model.onnx (nor a partial file), and the next run downloads it again', async () => {
    const s = settings('cut');
    const folder = path.join(s.cacheDir, 'someone', 'cut-tagger');
    cutsLeft = 1;
    await assert.rejects(taggerFiles(cutId, s), (error: Error) => {
      const url = `${transformers.env.remoteHost}${cutId}/resolve/main/model.onnx`;
      const match = /^The download of model\.onnx from (\S+) broke off after (\d+) of (\d+) bytes: .+\. Nothing was kept; the next run downloads it again\.$/.exec(error.message);
      assert.ok(match, error.message);
      assert.equal(match[1], url);
      assert.ok(Number(match[2]) < model.length && Number(match[3]) === model.length, error.message);
      return true;
    });
    assert.deepEqual(fs.existsSync(folder) ? fs.readdirSync(folder) : [], [], 'neither model.onnx nor a partial download is left');
    assert.deepEqual(requests.map((r) => r.url), [`/${cutId}/resolve/main/model.onnx`], 'stopped at the broken file');

    requests = [];
    const files = await taggerFiles(cutId, s);
    assert.ok(fs.readFileSync(files['model.onnx']).equals(model), 'the whole model this time');
    assert.deepEqual(fs.readdirSync(folder).sort(), ['model.onnx', 'selected_tags.csv']);
    assert.deepEqual(requests.map((r) => r.url), [`/${cutId}/resolve/main/model.onnx`, `/${cutId}/resolve/main/selected_tags.csv`], 'downloaded again');
  });

  it('a file served gzip-encoded (content-length counts the encoded bytes) is kept as its decoded text', async () => {
    const files = await taggerFiles(gzipId, settings('gzip'));
    assert.equal(fs.readFileSync(files['selected_tags.csv'], 'utf8'), csv);
    assert.ok(fs.readFileSync(files['model.onnx']).equals(model));
  });

  it('a repository without the files fails with the status, leaving no file behind', async () => {
    const s = settings('absent');
    await assert.rejects(taggerFiles('someone/not-a-tagger', s), /not-a-tagger\/resolve\/main\/model\.onnx answered 404/);
    assert.equal(fs.existsSync(path.join(s.cacheDir, 'someone')), false);
  });
});
