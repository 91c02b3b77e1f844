import * as vscode from 'vscode';
import type { KeyName, KeySource } from './types';

/** Environment variables read when no key was stored with "Set API Key". */
const ENV_FALLBACK: Readonly<Record<string, readonly string[]>> = {
  nvidia: ['NVIDIA_API_KEY', 'NGC_API_KEY'],
  huggingface: ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'],
  openai: ['OPENAI_API_KEY'],
};

const LABELS: Readonly<Record<string, string>> = { nvidia: 'NVIDIA (nvapi-…)', huggingface: 'Hugging Face (hf_…)', openai: 'OpenAI (sk-…)' };

/** API keys: in VS Code's SecretStorage, or environment variables as a fallback; never in settings or logs. */
export class ApiKeys {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The key for `name`, or undefined (for 'none', always undefined). */
  async get(name: KeyName): Promise<string | undefined> {
    return (await this.lookup(name)).value;
  }

  /** Where the key for `name` would come from now (the value itself stays here). */
  async source(name: KeyName): Promise<KeySource> {
    return (await this.lookup(name)).source;
  }

  async set(name: KeyName, value: string): Promise<void> {
    await this.secrets.store(secretId(name), value.trim());
  }

  async clear(name: KeyName): Promise<void> {
    await this.secrets.delete(secretId(name));
  }

  private async lookup(name: KeyName): Promise<{ readonly value?: string; readonly source: KeySource }> {
    if (name === 'none') return { source: { kind: 'not-needed' } };
    const stored = await this.secrets.get(secretId(name));
    if (stored) return { value: stored, source: { kind: 'stored' } };
    for (const variable of envVariables(name)) {
      const value = process.env[variable]?.trim();
      if (value) return { value, source: { kind: 'env', variable } };
    }
    return { source: { kind: 'missing' } };
  }

  /** Where a missing key can come from, for messages: "Set API Key (NVIDIA) or NVIDIA_API_KEY". */
  static howToProvide(name: KeyName): string {
    return `run "Image Captioner: Set API Key" for ${label(name)}${envVariables(name).length ? ` or set ${envVariables(name).join(' / ')}` : ''}`;
  }

  static label(name: KeyName): string {
    return label(name);
  }
}

function secretId(name: KeyName): string {
  return `imageCaptioner.apiKey.${name}`;
}

function envVariables(name: KeyName): readonly string[] {
  return ENV_FALLBACK[name] ?? [`IMAGE_CAPTIONER_KEY_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`];
}

function label(name: KeyName): string {
  return LABELS[name] ?? name;
}
