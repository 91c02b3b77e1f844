/**
 * The providers a CLI run captions with: the extension's ProviderFactory, with local models run by the
 * same worker process (dist/worker.js beside dist/cli.js), its settings from the config file's
 * `imageCaptioner.local.*` keys and its model cache outside VS Code's storage.
 */
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProviderFactory } from '../providers/providerFactory';
import type { LocalCaptionRunner } from '../providers/local/localProvider';
import { WorkerClient } from '../providers/local/workerClient';
import { LocalTagger, type LocalTagRunner } from '../providers/local/localTagger';
import { workerSettingsFrom } from '../providers/local/workerSettings';
import { Requests } from '../worker/protocol';
import type { EmbeddingBackend } from '../services/embeddingService';
import type { SettingsSource } from '../core/settings/settingsSource';
import { CliError } from './cliCommand';

/** Providers plus what must be stopped when the command ends (the worker process). */
export interface CliProviders {
  readonly factory: ProviderFactory;
  /** WD taggers, through the same worker process. */
  readonly tagger: LocalTagger;
  /** Image and text embeddings (CLIP scores), through the same worker process. */
  readonly embeddings: EmbeddingBackend;
  dispose(): Promise<void>;
}

/** Where downloaded local models go: `$XDG_CACHE_HOME/image-captioner/models` (~/.cache/… by default). */
export function defaultModelCache(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'image-captioner', 'models');
}

export function cliProviders(settings: SettingsSource, env: NodeJS.ProcessEnv, log: (line: string) => void): CliProviders {
  let client: WorkerClient | undefined;
  const worker = (): WorkerClient => (client ??= new WorkerClient({ workerPath: workerScript(), settings: () => workerSettingsFrom(settings, defaultModelCache(env)), log, idleExitMs: 0 }));
  const local: LocalCaptionRunner = (params, options) => worker().request(Requests.caption, params, options);
  const tag: LocalTagRunner = (params, options) => worker().request(Requests.tag, params, options);
  return {
    factory: new ProviderFactory({ onWarning: log, local }),
    embeddings: {
      embedImages: (params, signal) => worker().request(Requests.embedImages, params, { signal }),
      embedText: (params, signal) => worker().request(Requests.embedText, params, { signal }),
    },
    tagger: new LocalTagger(tag, (model, problems) => log(`${model.label}: rows of selected_tags.csv left out: ${problems.join('; ')}`)),
    dispose: async () => {
      await client?.dispose();
    },
  };
}

/** dist/worker.js of the package this CLI belongs to (the bundle sits beside it; tests run from out/). */
function workerScript(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, path.basename(dir) === 'dist' ? 'worker.js' : path.join('dist', 'worker.js'));
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new CliError('the local-model worker (dist/worker.js) is missing: run "npm run build" in the package');
  }
}
