/**
 * Embeddings kept on disk by content hash, one file per model: a header (magic + dimensions) and
 * append-only records (32-byte sha256 key + float32 vector, little-endian). A file cut short by a
 * crash loses only its incomplete last record.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const MAGIC = Buffer.from('ICEMBED1', 'latin1');
const HEADER_BYTES = MAGIC.length + 4;
const KEY_BYTES = 32;

/** The cache key of some content under a model: sha256(model id + '\0' + bytes or UTF-8 text), hex. */
export function contentKey(modelId: string, content: Uint8Array | string): string {
  return createHash('sha256').update(modelId, 'utf8').update('\0').update(content).digest('hex');
}

/** The cache file of a model inside `folder` (named by a hash, as model ids may be folder paths). */
export function cacheFileFor(folder: string, modelId: string): string {
  return path.join(folder, `${createHash('sha256').update(modelId, 'utf8').digest('hex').slice(0, 24)}.vec`);
}

export class EmbeddingCache {
  private readonly vectors = new Map<string, Float32Array>();
  private dims = 0;
  /** Appends run one after another so records never interleave. */
  private writing: Promise<void> = Promise.resolve();

  private constructor(readonly file: string) {}

  /** Loads the model's cache file (missing or unreadable header: an empty cache). */
  static async open(folder: string, modelId: string): Promise<EmbeddingCache> {
    const cache = new EmbeddingCache(cacheFileFor(folder, modelId));
    await cache.load();
    return cache;
  }

  get size(): number {
    return this.vectors.size;
  }

  get(key: string): Float32Array | undefined {
    return this.vectors.get(key);
  }

  /** Stores vectors in memory and appends them to the file; a new dimension starts the file afresh. */
  add(entries: ReadonlyArray<{ readonly key: string; readonly vector: Float32Array }>): Promise<void> {
    const fresh = entries.filter((e) => !this.vectors.has(e.key));
    if (fresh.length === 0) return this.writing;
    const dims = fresh[0].vector.length;
    if (fresh.some((e) => e.vector.length !== dims)) throw new Error('Vectors of one model must have one dimension');
    const restart = dims !== this.dims;
    if (restart) {
      this.vectors.clear();
      this.dims = dims;
    }
    for (const e of fresh) this.vectors.set(e.key, e.vector);
    const records = Buffer.concat(fresh.map((e) => record(e.key, e.vector)));
    const run = async (): Promise<void> => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      if (restart) await fs.writeFile(this.file, Buffer.concat([header(dims), records]));
      else await fs.appendFile(this.file, records);
    };
    this.writing = this.writing.then(run, run);
    return this.writing;
  }

  private async load(): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return; // rewritten on the first add
    const dims = bytes.readUInt32LE(MAGIC.length);
    if (dims === 0) return;
    this.dims = dims;
    const recordBytes = KEY_BYTES + 4 * dims;
    const whole = Math.floor((bytes.length - HEADER_BYTES) / recordBytes);
    for (let i = 0; i < whole; i++) {
      const at = HEADER_BYTES + i * recordBytes;
      const vector = new Float32Array(dims);
      for (let d = 0; d < dims; d++) vector[d] = bytes.readFloatLE(at + KEY_BYTES + 4 * d);
      this.vectors.set(bytes.toString('hex', at, at + KEY_BYTES), vector);
    }
    const end = HEADER_BYTES + whole * recordBytes;
    // A torn last record is cut off, so the next append starts on a record boundary.
    if (end < bytes.length) await fs.truncate(this.file, end);
  }
}

function header(dims: number): Buffer {
  const out = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(out);
  out.writeUInt32LE(dims, MAGIC.length);
  return out;
}

function record(key: string, vector: Float32Array): Buffer {
  const out = Buffer.alloc(KEY_BYTES + 4 * vector.length);
  if (out.write(key, 0, KEY_BYTES, 'hex') !== KEY_BYTES) throw new Error(`Not a sha256 key: ${key}`);
  for (let d = 0; d < vector.length; d++) out.writeFloatLE(vector[d], KEY_BYTES + 4 * d);
  return out;
}

/** The caches of one folder, each opened once per id and shared; an open that fails is forgotten, so the next use tries again. */
export class EmbeddingCaches {
  private readonly opened = new Map<string, Promise<EmbeddingCache>>();

  constructor(private readonly folder: string) {}

  /** The cache of `id` (a model and what changes its vectors). */
  get(id: string): Promise<EmbeddingCache> {
    let cache = this.opened.get(id);
    if (!cache) {
      cache = EmbeddingCache.open(this.folder, id);
      cache.catch(() => this.opened.delete(id));
      this.opened.set(id, cache);
    }
    return cache;
  }
}
