import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AtomicFileStream } from '../../../src/core/export/atomicFileStream';
import { TarShardWriter } from '../../../src/core/export/tarShardWriter';
import { TempDirs } from '../helpers/tempTree';

/** Members of sizes around the gathering limits: tiny, one block, just over 16 KB, and larger than 1 MB. */
function members(): Array<{ name: string; data: Buffer }> {
  const sizes = [0, 1, 511, 512, 513, 16 * 1024, 16 * 1024 + 1, 300 * 1024, 1024 * 1024 + 7, 3];
  return sizes.map((size, i) => ({ name: `m${i}.bin`, data: Buffer.from(Array.from({ length: size }, (_, k) => (k * 31 + i) & 0xff)) }));
}

async function writeTar(file: string, slowWriteMs?: number): Promise<void> {
  const writer = await TarShardWriter.open(file, { slowWriteMs });
  for (const { name, data } of members()) await writer.addBuffer(name, data);
  await writer.close();
}

describe('TarShardWriter and AtomicFileStream', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  it('gathers small writes and writes large ones through, in order, to the exact bytes', async () => {
    const dir = await temp.make('ic-atomic-');
    const file = path.join(dir, 'out.bin');
    const stream = await AtomicFileStream.open(file);
    const parts = [Buffer.from('head'), Buffer.alloc(20_000, 1), 'text é', Buffer.alloc(300_000, 2), Buffer.from([9])];
    for (const part of parts) await stream.write(part);
    assert.equal(stream.bytes, parts.reduce((n, p) => n + Buffer.byteLength(p), 0));
    assert.equal(fs.existsSync(file), false, 'nothing under the final name before commit');
    await stream.commit();
    assert.deepEqual(fs.readFileSync(file), Buffer.concat(parts.map((p) => Buffer.from(p))));
    assert.deepEqual(fs.readdirSync(dir), ['out.bin'], 'no temp file left');
  });

  it('lets a buffer be reused once flushed, even when slow storage pauses the tar', async () => {
    const dir = await temp.make('ic-tar-reuse-');
    const file = path.join(dir, 'reuse.tar');
    const writer = await TarShardWriter.open(file, { slowWriteMs: -1 });
    const shared = Buffer.alloc(40_000);
    const expected: Buffer[] = [];
    for (let i = 0; i < 30; i++) {
      shared.fill(i + 1);
      expected.push(Buffer.from(shared));
      await writer.addBuffer(`m${i}.bin`, shared);
      await writer.flushed();
    }
    await writer.close();
    for (let i = 0; i < 30; i++) assert.deepEqual(execFileSync('tar', ['-xOf', file, `m${i}.bin`], { maxBuffer: 1024 * 1024 }), expected[i], `m${i}.bin`);
  });

  it('writes the same tar when storage is slow (every write asynchronous, the tar paused meanwhile)', async () => {
    const dir = await temp.make('ic-tar-slow-');
    const fast = path.join(dir, 'fast.tar');
    const slow = path.join(dir, 'slow.tar');
    await writeTar(fast);
    await writeTar(slow, -1);
    assert.deepEqual(fs.readFileSync(slow), fs.readFileSync(fast));
    const listed = execFileSync('tar', ['-tvf', slow], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(listed.map((line) => line.split(/\s+/).at(-1)), members().map((m) => m.name));
    for (const { name, data } of members()) assert.deepEqual(execFileSync('tar', ['-xOf', slow, name], { maxBuffer: 8 * 1024 * 1024 }), data, name);
  });

  it('never commits a shard whose last write failed on slow storage, and leaves no temp file', async () => {
    const dir = await temp.make('ic-tar-fail-');
    const file = path.join(dir, 'broken.tar');
    const writer = await TarShardWriter.open(file, { slowWriteMs: -1 });
    await writer.addBuffer('a.bin', Buffer.alloc(40_000, 1));
    // The disk fills up at the very last write, the end-of-archive blocks, which tar-stream
    // emits before its 'end' (that write then runs after the stream has ended).
    const out = (writer as unknown as { out: { write(chunk: Uint8Array): Promise<void> } }).out;
    const write = out.write.bind(out);
    out.write = async (chunk: Uint8Array) => {
      if (chunk.byteLength === 1024 && chunk.every((byte) => byte === 0)) throw new Error('ENOSPC: no space left on device');
      return write(chunk);
    };
    await assert.rejects(writer.close(), /ENOSPC/);
    await writer.discard();
    assert.deepEqual(fs.readdirSync(dir), [], 'no shard, no temp file');
  });
});
