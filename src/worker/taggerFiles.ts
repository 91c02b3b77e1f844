/**
 * Where a WD tagger's two files are: an absolute folder as given, or a hub id looked up in the local
 * models folder (`<folder>/<org>/<name>/`), then the download cache (`<cache>/<org>/<name>/`, the
 * layout transformers.js uses, so the cache listing and deletion see taggers too), and downloaded
 * into the cache from the hub when downloads are allowed.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as transformers from '@huggingface/transformers';
import type { WorkerSettings } from './protocol';

/** The files a WD tagger folder holds (SmilingWolf's repositories keep them at the root). */
export const TAGGER_FILES = ['model.onnx', 'selected_tags.csv'] as const;
export type TaggerFile = (typeof TAGGER_FILES)[number];

export interface DownloadProgress {
  readonly file: string;
  readonly loaded: number;
  readonly total: number;
}

/**
 * The path of each tagger file for `id`. A file on neither side throws an error whose message says
 * "not found locally" (the model loader turns it into `model-missing`, naming the folders to fill).
 */
export async function taggerFiles(id: string, settings: WorkerSettings, onDownload?: (progress: DownloadProgress) => void): Promise<Record<TaggerFile, string>> {
  const folders = isAbsolute(id) ? [id] : [settings.localModelPath ? join(settings.localModelPath, id) : undefined, join(settings.cacheDir, id)].filter((f): f is string => !!f);
  const found: Partial<Record<TaggerFile, string>> = {};
  for (const file of TAGGER_FILES) {
    for (const folder of folders) {
      if (await isFile(join(folder, file))) {
        found[file] = join(folder, file);
        break;
      }
    }
  }
  const missing = TAGGER_FILES.filter((file) => !found[file]);
  if (missing.length === 0) return found as Record<TaggerFile, string>;
  if (isAbsolute(id) || !settings.allowRemoteModels) {
    throw new Error(`${missing.join(' and ')} not found locally (looked in ${folders.join(' and ')})`);
  }
  for (const file of missing) found[file] = await download(id, file, join(settings.cacheDir, id), onDownload);
  return found as Record<TaggerFile, string>;
}

/** Fetches one file of a hub repository (main revision) into `folder`, through a temporary name so a broken download never counts as present. */
async function download(id: string, file: string, folder: string, onDownload?: (progress: DownloadProgress) => void): Promise<string> {
  // the same host and path template as transformers.js (one place to point both at a mirror)
  const base = transformers.env.remoteHost.replace(/\/?$/, '/');
  const path = transformers.env.remotePathTemplate.replaceAll('{model}', id).replaceAll('{revision}', 'main');
  const url = `${base}${path.replace(/\/?$/, '/')}${file}`;
  const response = await fetch(url, { headers: hubHeaders(url) });
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status} ${response.statusText}`.trim());
  await mkdir(folder, { recursive: true });
  const target = join(folder, file);
  const partial = `${target}.${process.pid}.download`;
  // fetch decodes a gzip or br body, whose content-length counts the encoded bytes: no total to check against then
  const encoded = (response.headers.get('content-encoding') ?? 'identity').trim().toLowerCase() !== 'identity';
  const total = encoded ? 0 : Number(response.headers.get('content-length')) || 0;
  let loaded = 0;
  let reported = 0;
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    loaded += chunk.length;
    // at most one notification per MiB (the real models are 300 MB-1.2 GB)
    if (onDownload && (loaded - reported >= 1 << 20 || loaded === total)) {
      reported = loaded;
      onDownload({ file, loaded, total: total || loaded });
    }
  });
  try {
    await pipeline(body, createWriteStream(partial));
    // a body that ends early without an error (a proxy closing the connection) must not become the model either
    if (total && loaded !== total) throw new Error(`the body ended after ${loaded} of ${total} bytes`);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    // "terminated" alone says neither what nor how far: name the file, where from, and how much came
    const why = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
    throw new Error(`The download of ${file} from ${url} broke off after ${loaded}${total ? ` of ${total}` : ''} bytes: ${why}. Nothing was kept; the next run downloads it again.`, { cause: error });
  }
  return target;
}

/** A hub token from the environment for gated or private repositories, sent (as transformers.js does) to the hub's own hosts only. */
function hubHeaders(url: string): Record<string, string> {
  const token = process.env.HF_TOKEN ?? process.env.HF_ACCESS_TOKEN;
  const host = new URL(url).hostname;
  const hub = ['huggingface.co', 'hf.co'].some((name) => host === name || host.endsWith(`.${name}`));
  return token && hub ? { Authorization: `Bearer ${token}` } : {};
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
