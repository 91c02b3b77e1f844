/** Runs `image-captioner` in process (fast, exact streams) and makes the datasets the CLI tests read. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import type { ExitCode } from '../../../src/cli/cliCommand';
import { runCli } from '../../../src/cli/main';
import { FixtureImage, writeDataset } from '../export/exportTestKit';

/** The repository root (tests run from out/test/unit/cli). */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const BUNDLE = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface CliRun {
  readonly code: ExitCode;
  readonly stdout: string;
  readonly stderr: string;
}

class TextSink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** `image-captioner ...args` run in this process with `cwd` as its working folder. */
export async function cli(cwd: string, ...args: string[]): Promise<CliRun> {
  return cliWithSignal(new AbortController().signal, cwd, ...args);
}

/** The same, with `signal` standing for SIGINT/SIGTERM. */
export async function cliWithSignal(signal: AbortSignal, cwd: string, ...args: string[]): Promise<CliRun> {
  const stdout = new TextSink();
  const stderr = new TextSink();
  const code = await runCli(args, { stdout, stderr, env: {}, cwd, signal });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/**
 * A dataset with every case an export meets: subfolders (listed before the root's images), a PNG
 * and a WebP, no caption file, an empty one, a caption that a spreadsheet would run as a formula,
 * quotes, a comma and a line break, and enough images for four shards.
 */
export const EXPORT_FIXTURE: readonly FixtureImage[] = [
  { rel: 'a.jpg', width: 20, height: 10, caption: 'a red square' },
  { rel: 'b.png', width: 8, height: 8, caption: '=1+1 formula\n' },
  { rel: 'c.jpg', width: 9, height: 7 },
  { rel: 'q.jpg', width: 7, height: 9, caption: 'say "hi", twice\nnew line' },
  { rel: 'sub/d.jpg', width: 6, height: 6, caption: '' },
  { rel: 'sub/e.webp', width: 10, height: 5, caption: 'e, dog, cat' },
  ...Array.from({ length: 12 }, (_, i): FixtureImage => ({ rel: `many/img${String(i).padStart(2, '0')}.jpg`, width: 8 + i, height: 6, caption: `caption ${i}` })),
];

/** Writes EXPORT_FIXTURE under `root/name` and returns that folder. */
export async function writeExportFixture(root: string, name = 'ds'): Promise<string> {
  const dataset = path.join(root, name);
  fs.mkdirSync(dataset, { recursive: true });
  await writeDataset(dataset, EXPORT_FIXTURE);
  return dataset;
}

/** Every file under `dir`, '/'-separated and sorted (empty when the folder does not exist). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split(path.sep).join('/'))
    .sort();
}
