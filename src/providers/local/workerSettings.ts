/** The local-model worker's settings from `imageCaptioner.local.*`, read the same way by the extension and the CLI. */
import { typed, type SettingsSource } from '../../core/settings/settingsSource';
import type { DevicePreference, ModelRef, WorkerSettings } from '../../worker/protocol';

const DEVICES: readonly DevicePreference[] = ['auto', 'cpu', 'cuda'];

/** `cacheDir` is the front end's own (VS Code's global storage, or the CLI's cache folder). */
export function workerSettingsFrom(settings: SettingsSource, cacheDir: string): WorkerSettings {
  const folder = typed(settings, 'local.modelsFolder', '').trim();
  const device = typed(settings, 'local.device', 'auto');
  return {
    cacheDir,
    localModelPath: folder || undefined,
    allowRemoteModels: typed(settings, 'local.allowDownloads', true),
    device: DEVICES.includes(device as DevicePreference) ? (device as DevicePreference) : 'auto',
    threads: typed(settings, 'local.threads', 0),
  };
}

/** The CLIP model's default (package.json's imageCaptioner.local.clipModel). */
export const DEFAULT_CLIP_MODEL = 'Xenova/clip-vit-base-patch32';

/** The CLIP model of `imageCaptioner.local.clipModel` / `clipModelDtype` (CLIP score, evaluations, image embeddings); its id is empty when the setting is. */
export function clipModelFrom(settings: SettingsSource): ModelRef {
  return { id: typed(settings, 'local.clipModel', DEFAULT_CLIP_MODEL), task: 'clip', dtype: dtypeFrom(settings, 'local.clipModelDtype') };
}

/** A local model's `imageCaptioner.local.*Dtype` setting; its empty default leaves the choice to the worker. */
export function dtypeFrom(settings: SettingsSource, key: string): ModelRef['dtype'] {
  return (typed(settings, key, '') || undefined) as ModelRef['dtype'];
}
