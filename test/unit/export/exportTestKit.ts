/** Fixtures for the export tests (real images made with sharp) and the real consumers that read the output back. */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import sharp from 'sharp';
import type { ExportSample } from '../../../src/core/export';

/** Debian's python3 when present (the one on PATH may be a pyenv build); both have tarfile, zipfile and csv. */
export const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Runs a Python script with arguments and parses the JSON it prints. */
export function python<T>(script: string, ...args: string[]): T {
  return JSON.parse(execFileSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8' })) as T;
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256File(file: string): string {
  return sha256(fs.readFileSync(file));
}

export interface FixtureImage {
  /** '/'-separated path relative to the dataset root. */
  readonly rel: string;
  readonly width: number;
  readonly height: number;
  /** Caption file content as bytes on disk; undefined for no caption file. */
  readonly caption?: string | Buffer;
}

/** A noisy image (so JPEG sizes vary) in the format of the file's extension. */
export async function writeImage(file: string, width: number, height: number): Promise<void> {
  const ext = path.extname(file).slice(1).toLowerCase();
  const raw = sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } });
  const encoded = ext === 'png' ? raw.png() : ext === 'webp' ? raw.webp() : raw.jpeg({ quality: 80 });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, await encoded.toBuffer());
}

/** Writes the images with their captions (`stem.txt`) and returns them as export samples, in the given order. */
export async function writeDataset(root: string, images: readonly FixtureImage[]): Promise<ExportSample[]> {
  const samples: ExportSample[] = [];
  const boundary = DatasetBoundary.atSync(root);
  for (const image of images) {
    const imagePath = path.join(root, ...image.rel.split('/'));
    await writeImage(imagePath, image.width, image.height);
    const captionPath = imagePath.slice(0, imagePath.length - path.extname(imagePath).length) + '.txt';
    if (image.caption !== undefined) fs.writeFileSync(captionPath, image.caption);
    samples.push({ imagePath, relPath: image.rel, captionPath, boundary });
  }
  return samples;
}

/** The files in a folder, temp files included, sorted. */
export function listDir(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

export interface PySample {
  readonly __key__: string;
  /** Member extension → sha256 (images), text (txt) or parsed object (json). */
  readonly [ext: string]: unknown;
}

/**
 * Groups a tar's members into samples the way webdataset does (key = path up to the first dot of
 * the basename, consecutive members with the same key form a sample, a repeated extension is an error).
 */
export function webdatasetSamples(tarFile: string): PySample[] {
  return python<PySample[]>(`
import hashlib, json, re, sys, tarfile
samples = []
with tarfile.open(sys.argv[1]) as tar:
    for member in tar:
        if not member.isfile():
            continue
        m = re.match(r"^((?:.*/|)[^.]+)[.]([^/]*)$", member.name)
        if m is None:
            raise SystemExit("member without a key: " + member.name)
        key, ext = m.group(1), m.group(2)
        data = tar.extractfile(member).read()
        if not samples or samples[-1]["__key__"] != key:
            samples.append({"__key__": key})
        if ext in samples[-1]:
            raise SystemExit("repeated extension %s in sample %s" % (ext, key))
        if ext == "txt":
            samples[-1][ext] = data.decode("utf-8")
        elif ext == "json":
            samples[-1][ext] = json.loads(data.decode("utf-8"))
        else:
            samples[-1][ext] = hashlib.sha256(data).hexdigest()
print(json.dumps(samples))
`, tarFile);
}

/** `tar -tvf` lines (dates in UTC). */
export function tarListing(tarFile: string): string[] {
  return execFileSync('tar', ['-tvf', tarFile], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).trim().split('\n').filter((l) => l !== '');
}
