import * as vscode from 'vscode';
import { DEFAULT_FOCAL_PROMPT, DEFAULT_FUSE_PROMPT } from './core/regions/regionPrompts';
import { readBatchSettings, readGenerationSettings } from './generationSettings';
import type { RegionSettings } from './services/regionDescriber';

/** The Describe Anything server as the user configured it. */
export interface DamSettings {
  readonly baseUrl: string;
  /** Program and arguments; empty when not set. */
  readonly serverCommand: readonly string[];
  readonly startTimeoutMs: number;
}

/** Default of `imageCaptioner.dam.baseUrl`: `dam_server.py`'s own port on this machine. */
export const DEFAULT_DAM_BASE_URL = 'http://127.0.0.1:8000';
export const DEFAULT_DESCRIBE_MODEL = 'dam/describe-anything';

/** What region description reads, with its defaults; an empty prompt falls back to the default. */
export function readRegionSettings(): RegionSettings {
  const c = vscode.workspace.getConfiguration('imageCaptioner');
  const text = (key: string, fallback: string): string => {
    const value = c.get<unknown>(key);
    return typeof value === 'string' && value.trim() ? value : fallback;
  };
  const batch = readBatchSettings();
  return {
    describeModel: text('regions.describeModel', DEFAULT_DESCRIBE_MODEL),
    focalPrompt: text('regions.focalPrompt', DEFAULT_FOCAL_PROMPT),
    fuseModel: text('regions.fuseModel', ''),
    fusePrompt: text('regions.fusePrompt', DEFAULT_FUSE_PROMPT),
    timeoutMs: readGenerationSettings().timeoutMs,
    batch: { concurrency: batch.concurrency, rpm: batch.rpm },
  };
}

/** The DAM server settings; a command that is not a list of strings reads as none (the start command says how to set it). */
export function readDamSettings(): DamSettings {
  const c = vscode.workspace.getConfiguration('imageCaptioner');
  const command = c.get<unknown>('dam.serverCommand');
  const baseUrl = c.get<unknown>('dam.baseUrl');
  return {
    baseUrl: typeof baseUrl === 'string' && /^https?:\/\/\S+$/i.test(baseUrl) ? baseUrl.replace(/\/+$/, '') : DEFAULT_DAM_BASE_URL,
    serverCommand: Array.isArray(command) && command.every((a) => typeof a === 'string') ? command : [],
    startTimeoutMs: c.get<number>('dam.startTimeoutSeconds', 600) * 1000,
  };
}
