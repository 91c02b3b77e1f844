import { HuggingFaceProvider } from './huggingFaceProvider';
import { NimLegacyProvider } from './nimLegacyProvider';
import { OpenAiCompatibleProvider } from './openAiCompatibleProvider';
import type { CaptionProvider, ProviderKind } from './types';

/** One provider instance per kind, so HTTP clients and their connections are reused. */
export class ProviderFactory {
  private readonly instances = new Map<ProviderKind, CaptionProvider>();

  constructor(private readonly options: { readonly nvcfBaseUrl?: string; readonly onWarning?: (message: string) => void } = {}) {}

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
        return new NimLegacyProvider({ assetsBaseUrl: this.options.nvcfBaseUrl, onWarning: this.options.onWarning });
      case 'local':
        throw new Error('Local models are not available in this version');
    }
  }
}
