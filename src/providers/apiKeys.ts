import * as vscode from 'vscode';
import { keyEnvVariables, keyFromEnvironment, keyLabel } from './keyEnvironment';
import type { KeyName, KeySource } from './types';

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
    const fromEnv = keyFromEnvironment(name, process.env);
    if (fromEnv) return { value: fromEnv.value, source: { kind: 'env', variable: fromEnv.variable } };
    return { source: { kind: 'missing' } };
  }

  /** Where a missing key can come from, for messages: "Set API Key (NVIDIA) or NVIDIA_API_KEY". */
  static howToProvide(name: KeyName): string {
    return `run "Image Captioner: Set API Key" for ${keyLabel(name)}${keyEnvVariables(name).length ? ` or set ${keyEnvVariables(name).join(' / ')}` : ''}`;
  }

  static label(name: KeyName): string {
    return keyLabel(name);
  }
}

function secretId(name: KeyName): string {
  return `imageCaptioner.apiKey.${name}`;
}
