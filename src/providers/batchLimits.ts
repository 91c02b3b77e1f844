import { DEFAULT_CONCURRENCY } from '../core/captioning/batchJob';
import type { ModelEntry } from './types';

/** Where a limit in force came from. */
export type LimitSource = 'setting' | 'model' | 'preset' | 'default';

/** The limits a batch runs with, each with its source; `rpm` undefined means no client-side pacing. */
export interface BatchLimits {
  readonly concurrency: number;
  readonly concurrencyFrom: LimitSource;
  readonly rpm?: number;
  readonly rpmFrom?: Exclude<LimitSource, 'default'>;
  /** A preset's requests-per-minute that the user's own concurrency setting lifted. */
  readonly liftedPresetRpm?: number;
}

/** The user's batch settings; 0 leaves the choice to the model. */
export interface BatchLimitSettings {
  readonly concurrency: number;
  readonly rpm: number;
}

/**
 * Most explicit first: the user's `batch.*` setting, then the model entry's own `rateLimit`, then its
 * preset's. A preset's requests-per-minute is a guess at a hosted service's quota (NVIDIA's trial
 * tier for the NIM preset), so it never caps a concurrency the user chose: with `batch.concurrency`
 * set, only an rpm the user wrote (the setting or their entry) paces the batch, and a server that
 * pushes back with 429 is followed by the adaptive rate.
 */
export function batchLimits(settings: BatchLimitSettings, model: Pick<ModelEntry, 'rateLimit' | 'presetRateLimit'>): BatchLimits {
  const own = model.rateLimit ?? {};
  const preset = model.presetRateLimit ?? {};
  const concurrency: [number, LimitSource] =
    settings.concurrency > 0 ? [settings.concurrency, 'setting'] : own.concurrency ? [own.concurrency, 'model'] : preset.concurrency ? [preset.concurrency, 'preset'] : [DEFAULT_CONCURRENCY, 'default'];
  const limits = { concurrency: concurrency[0], concurrencyFrom: concurrency[1] };
  if (settings.rpm > 0) return { ...limits, rpm: settings.rpm, rpmFrom: 'setting' };
  if (own.rpm) return { ...limits, rpm: own.rpm, rpmFrom: 'model' };
  if (!preset.rpm) return limits;
  return settings.concurrency > 0 ? { ...limits, liftedPresetRpm: preset.rpm } : { ...limits, rpm: preset.rpm, rpmFrom: 'preset' };
}

const SOURCE_TEXT: Readonly<Record<LimitSource, (setting: string) => string>> = {
  setting: (setting) => `your setting imageCaptioner.batch.${setting}`,
  model: () => "the model entry's rateLimit",
  preset: () => "the model's preset",
  default: () => 'the default',
};

/** One sentence naming each limit in force and where it came from, for the log. */
export function describeLimits(limits: BatchLimits): string {
  const parts = [`up to ${limits.concurrency} request${limits.concurrency === 1 ? '' : 's'} at a time (${SOURCE_TEXT[limits.concurrencyFrom]('concurrency')})`];
  if (limits.rpm !== undefined && limits.rpmFrom) parts.push(`at most ${limits.rpm} requests/min (${SOURCE_TEXT[limits.rpmFrom]('requestsPerMinute')})`);
  else if (limits.liftedPresetRpm !== undefined) parts.push(`no requests-per-minute limit (your concurrency setting lifts the preset's ${limits.liftedPresetRpm}/min; set imageCaptioner.batch.requestsPerMinute to pace)`);
  else parts.push('no requests-per-minute limit');
  return parts.join(', ');
}

/** A few words for the progress title: "8 at a time, 35/min". */
export function shortLimits(limits: BatchLimits): string {
  return `${limits.concurrency} at a time${limits.rpm !== undefined ? `, ${limits.rpm}/min` : ''}`;
}
