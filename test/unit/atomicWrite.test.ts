import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetBoundary } from '../../src/core/files/datasetBoundary';
import { writeFileAtomic } from '../../src/core/captions/atomicWrite';
import { writeCaption } from '../../src/core/captions/captionStore';
import { TempDirs } from './helpers/tempTree';

const ATOMIC_WRITE_JS = require.resolve('../../src/core/captions/atomicWrite');
const BIG = 50 * 1024 * 1024;

/** Writes BIG bytes of one letter per generation, forever, until killed. */
const WRITER = `
const { writeFileAtomic } = require(process.env.ATOMIC_WRITE_JS);
const size = Number(process.env.SIZE);
const buf = Buffer.alloc(size);
(async () => {
  for (let gen = 0; ; gen++) {
    buf.fill(0x41 + (gen % 26));
    process.stdout.write('writing ' + gen + '\\n');
    await writeFileAtomic(process.env.TARGET, buf);
  }
})().catch((err) => { console.error(err); process.exit(3); });
`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts the writer, waits until its first write has begun plus `delayMs`, then SIGKILLs it. */
async function killWriterAfter(target: string, delayMs: number): Promise<{ signal: NodeJS.Signals | null; writes: number }> {
  const child = spawn(process.execPath, ['-e', WRITER], {
    env: { ...process.env, ATOMIC_WRITE_JS, TARGET: target, SIZE: String(BIG) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('writing 0')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`writer exited early (${code}): ${err}`)));
  });
  await sleep(delayMs);
  child.kill('SIGKILL');
  const signal = await exited;
  return { signal, writes: out.split('\n').filter((l) => l.startsWith('writing')).length - 1 };
}

/** The file is the old content or one complete generation: BIG bytes of a single letter. */
function assertWhole(bytes: Buffer, old: Buffer, context: string): 'old' | 'new' {
  if (bytes.equals(old)) return 'old';
  assert.equal(bytes.length, BIG, `${context}: a partial file of ${bytes.length} bytes`);
  const letter = bytes[0];
  assert.ok(letter >= 0x41 && letter <= 0x5a, `${context}: unexpected first byte ${letter}`);
  assert.ok(bytes.equals(Buffer.alloc(BIG, letter)), `${context}: mixed content`);
  return 'new';
}

describe('writeFileAtomic', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('leaves the old or one whole new content when the writer is SIGKILLed at random moments', async function () {
    this.timeout(120_000);
    const dir = await temp.make();
    const target = path.join(dir, 'caption.txt');
    const old = Buffer.from('the old caption\n');
    await fs.promises.writeFile(target, old);
    let killedMidWrite = 0;
    const outcomes: string[] = [];
    for (let round = 0; round < 8; round++) {
      const delay = Math.floor(Math.random() * 400);
      const { signal } = await killWriterAfter(target, delay);
      assert.equal(signal, 'SIGKILL');
      const leftovers = (await fs.promises.readdir(dir)).filter((n) => n !== 'caption.txt');
      if (leftovers.length > 0) killedMidWrite++;
      outcomes.push(assertWhole(await fs.promises.readFile(target), old, `round ${round} (killed after ${delay} ms)`));
      for (const n of leftovers) {
        assert.match(n, /^\.caption\.txt\..*\.tmp$/, 'only the writer’s temp file may be left by a kill');
        await fs.promises.rm(path.join(dir, n));
      }
    }
    // The check above means something only if kills really landed inside a write.
    assert.ok(killedMidWrite >= 1, `no kill landed inside a write (${outcomes.join(', ')})`);
  });

  it('replaces the content and leaves no temp file after normal writes', async () => {
    const dir = await temp.make();
    const target = path.join(dir, 'a.txt');
    await writeFileAtomic(target, Buffer.from('first'));
    for (let i = 0; i < 20; i++) await writeFileAtomic(target, Buffer.from(`version ${i}`));
    await writeCaption(target, 'via the store', DatasetBoundary.atSync(dir));
    await writeCaption(path.join(dir, 'b.txt'), 'new file', DatasetBoundary.atSync(dir));
    assert.equal(await fs.promises.readFile(target, 'utf8'), 'via the store');
    assert.deepEqual((await fs.promises.readdir(dir)).sort(), ['a.txt', 'b.txt']);
  });

  it('removes its temp file when the rename fails', async () => {
    const dir = await temp.make();
    const target = path.join(dir, 'a.txt');
    await fs.promises.mkdir(target); // renaming a file over a folder fails
    await assert.rejects(writeFileAtomic(target, Buffer.from('x')));
    assert.deepEqual(await fs.promises.readdir(dir), ['a.txt']);
    assert.ok((await fs.promises.stat(target)).isDirectory());
  });

  it('keeps the mode of the file it replaces (0o640)', async () => {
    const dir = await temp.make();
    const target = path.join(dir, 'a.txt');
    await fs.promises.writeFile(target, 'old');
    await fs.promises.chmod(target, 0o640);
    await writeFileAtomic(target, Buffer.from('new'));
    assert.equal((await fs.promises.stat(target)).mode & 0o777, 0o640);
    await writeCaption(target, 'newer', DatasetBoundary.atSync(dir));
    assert.equal((await fs.promises.stat(target)).mode & 0o777, 0o640);
    assert.equal(await fs.promises.readFile(target, 'utf8'), 'newer');
  });

  it('keeps a group-writable mode (0o664) under a umask of 022', async () => {
    const dir = await temp.make();
    const target = path.join(dir, 'a.txt');
    await fs.promises.writeFile(target, 'old');
    await fs.promises.chmod(target, 0o664);
    const previous = process.umask(0o022);
    try {
      await writeFileAtomic(target, Buffer.from('new'));
    } finally {
      process.umask(previous);
    }
    assert.equal(((await fs.promises.stat(target)).mode & 0o777).toString(8), '664');
  });
});
