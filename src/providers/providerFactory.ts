import { DamProvider } from './damProvider';
import { HuggingFaceProvider } from './huggingFaceProvider';
import { NimLegacyProvider } from './nimLegacyProvider';
import { OpenAiCompatibleProvider } from './openAiCompatibleProvider';
import { LocalProvider, type LocalCaptionRunner } from './local/localProvider';
import type { CaptionProvider, ProviderKind } from './types';

/** One provider instance per kind, so HTTP clients and their connections are reused. */
export class ProviderFactory {
  private readonly instances = new Map<ProviderKind, CaptionProvider>();

  constructor(
    private readonly options: {
      readonly onWarning?: (message: string) => void;
      /** Runs local models (the worker, through the host's service). */
      readonly local?: LocalCaptionRunner;
    } = {},
  ) {}

  get(kind: ProviderKind): CaptionProvider {
    let provider = this.instances.get(kind);
    if (!provider) {
      provider = this.create(kind);
      this.instances.set(kind, provider);
    }
    return provider;
  }

  private create(kind: ProviderKind): CaptionProvider {
    switch (kind) {
      case 'openai-compatible':
        return new OpenAiCompatibleProvider();
      case 'huggingface':
        return new HuggingFaceProvider();
      case 'nim-legacy':
        return new NimLegacyProvider({ onWarning: this.options.onWarning });
      case 'dam':
        return new DamProvider();
      case 'local':
        if (!this.options.local) throw new Error('Local models need the local-model worker');
        return new LocalProvider(this.options.local);
    }
  }
}
