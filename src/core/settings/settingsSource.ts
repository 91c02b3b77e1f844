/**
 * Where `imageCaptioner.*` settings come from, without VS Code: the extension wraps its configuration,
 * the CLI a config file plus flags. Keys are given without the `imageCaptioner.` prefix
 * (`generation.length`); `undefined` means "not set", and the readers fill in the defaults.
 */
export interface SettingsSource {
  get(key: string): unknown;
}

/** No settings at all: every reader gives its defaults. */
export const NO_SETTINGS: SettingsSource = { get: () => undefined };

/** `over` where it has a value, else `under` (flags over a config file). */
export function layered(over: SettingsSource, under: SettingsSource): SettingsSource {
  return { get: (key) => over.get(key) ?? under.get(key) };
}

/** A source from a plain map of keys (without the prefix) to values. */
export function settingsFromMap(values: Readonly<Record<string, unknown>>): SettingsSource {
  return { get: (key) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined) };
}

/** The value when it has the type `typeof fallback` gives, else the fallback (a hand-edited value of the wrong type never reaches a request). */
export function typed<T extends string | number | boolean>(source: SettingsSource, key: string, fallback: T): T {
  const value = source.get(key);
  return typeof value === typeof fallback ? (value as T) : fallback;
}
