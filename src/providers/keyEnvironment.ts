/**
 * Which environment variables hold each service's API key, shared by the extension (a fallback after
 * its secret storage) and the CLI (its only source besides `--key-env`). Keys never come from settings
 * or command-line arguments.
 */
import type { KeyName } from './types';

const ENV_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  nvidia: ['NVIDIA_API_KEY', 'NGC_API_KEY'],
  huggingface: ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'],
  openai: ['OPENAI_API_KEY'],
};

const LABELS: Readonly<Record<string, string>> = { nvidia: 'NVIDIA (nvapi-…)', huggingface: 'Hugging Face (hf_…)', openai: 'OpenAI (sk-…)' };

/** The variables read for key `name`, in order; a custom key name `my-server` reads IMAGE_CAPTIONER_KEY_MY_SERVER. */
export function keyEnvVariables(name: KeyName): readonly string[] {
  if (name === 'none') return [];
  return ENV_VARIABLES[name] ?? [`IMAGE_CAPTIONER_KEY_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`];
}

/** The first of `keyEnvVariables(name)` set in `env` (trimmed), and which one it was. */
export function keyFromEnvironment(name: KeyName, env: NodeJS.ProcessEnv): { readonly value: string; readonly variable: string } | undefined {
  for (const variable of keyEnvVariables(name)) {
    const value = env[variable]?.trim();
    if (value) return { value, variable };
  }
  return undefined;
}

/** A key's name for people: "NVIDIA (nvapi-…)". */
export function keyLabel(name: KeyName): string {
  return LABELS[name] ?? name;
}
