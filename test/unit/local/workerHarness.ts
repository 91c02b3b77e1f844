/** Shared set-up for tests of the local-model worker: tiny models, test images, a client. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { WorkerClient, type WorkerClientOptions } from '../../../src/providers/local/workerClient';
import { writeTinyModels, type TinyModels } from '../../fixtures/localModels/tinyModels';

export const WORKER_PATH = path.resolve(__dirname, '../../../../dist/worker.js');

export interface Harness {
  readonly root: string;
  readonly models: TinyModels;
  readonly cacheDir: string;
  readonly images: { readonly red: string; readonly green: string; readonly blue: string; readonly corrupt: string };
  readonly logs: string[];
  client(options?: Partial<WorkerClientOptions> & { readonly allowRemoteModels?: boolean; readonly localModelPath?: string }): WorkerClient;
  dispose(): Promise<void>;
}

export async function makeHarness(): Promise<Harness> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-worker-'));
  const models = await writeTinyModels(path.join(root, 'models'));
  const cacheDir = path.join(root, 'cache');
  fs.mkdirSync(cacheDir);
  const images = {
    red: path.join(root, 'red.png'),
    green: path.join(root, 'green photo.jpg'),
    blue: path.join(root, 'blue.webp'),
    corrupt: path.join(root, 'corrupt.jpg'),
  };
  await sharp({ create: { width: 64, height: 48, channels: 3, background: '#e01010' } }).png().toFile(images.red);
  await sharp({ create: { width: 40, height: 40, channels: 3, background: '#10d020' } }).jpeg().toFile(images.green);
  await sharp({ create: { width: 30, height: 50, channels: 3, background: '#1010f0' } }).webp().toFile(images.blue);
  fs.writeFileSync(images.corrupt, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]));
  const logs: string[] = [];
  const clients: WorkerClient[] = [];
  return {
    root,
    models,
    cacheDir,
    images,
    logs,
    client(options = {}) {
      const client = new WorkerClient({
        workerPath: WORKER_PATH,
        execPath: process.execPath,
        idleExitMs: 0,
        log: (line) => logs.push(line),
        settings: () => ({
          cacheDir,
          allowRemoteModels: options.allowRemoteModels ?? false,
          localModelPath: options.localModelPath,
          device: 'cpu',
        }),
        ...options,
      });
      clients.push(client);
      return client;
    },
    async dispose() {
      await Promise.all(clients.map((client) => client.dispose()));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
