/**
 * What the Explore panel keeps with `vscode.setState` (settings, selection, active cluster, filter,
 * stop words) and how a saved value is read back: anything malformed falls back to the default,
 * because the state survives extension updates that may change its shape. DOM-free (unit-tested).
 */
import type { ExploreScope, ExploreSettings } from '../../protocol/exploreMessages';

/** How the filter field reads: keywords any/all of which must occur, or the dataset filter language. */
export type FilterMode = 'any' | 'all' | 'query';

/** The smallest and largest k the slider offers (the field accepts the same range). */
export const K_MIN = 2;
export const K_MAX = 50;

/** The panel's state as saved in the webview. */
export interface SavedState {
  readonly version: 1;
  /** The controls' settings (what Run would use). */
  readonly settings: ExploreSettings;
  /** The settings of the layout shown, or null: a restored panel asks for that layout again. */
  readonly layoutSettings: ExploreSettings | null;
  /** Item indices of the plot selection (of the last layout), or null. */
  readonly selection: readonly number[] | null;
  /** The cluster whose items the gallery shows, or null. */
  readonly activeCluster: number | null;
  /** Clusters hidden with the legend toggles. */
  readonly hiddenClusters: readonly number[];
  readonly filterText: string;
  readonly filterMode: FilterMode;
  /** The stop-word field's text when the user edited it, else null (the host's list). */
  readonly stopWords: string | null;
}

export const DEFAULT_SETTINGS: ExploreSettings = { target: 'captions', scope: { kind: 'dataset' }, sourceId: 'builtin', k: 8, projection: 'pca' };

export const DEFAULT_STATE: SavedState = {
  version: 1,
  settings: DEFAULT_SETTINGS,
  layoutSettings: null,
  selection: null,
  activeCluster: null,
  hiddenClusters: [],
  filterText: '',
  filterMode: 'any',
  stopWords: null,
};

/** k as a whole number inside the slider's range (NaN becomes the default). */
export function clampK(k: number): number {
  if (!Number.isFinite(k)) return DEFAULT_SETTINGS.k;
  return Math.min(K_MAX, Math.max(K_MIN, Math.round(k)));
}

/** A saved state read back field by field; what is missing or malformed takes its default. */
export function restoreState(raw: unknown): SavedState {
  if (!isRecord(raw) || raw.version !== 1) return DEFAULT_STATE;
  return {
    version: 1,
    settings: restoreSettings(raw.settings),
    layoutSettings: isRecord(raw.layoutSettings) ? restoreSettings(raw.layoutSettings) : null,
    selection: indexList(raw.selection),
    activeCluster: Number.isInteger(raw.activeCluster) && (raw.activeCluster as number) >= 0 ? (raw.activeCluster as number) : null,
    hiddenClusters: indexList(raw.hiddenClusters) ?? [],
    filterText: typeof raw.filterText === 'string' ? raw.filterText : '',
    filterMode: raw.filterMode === 'all' || raw.filterMode === 'query' ? raw.filterMode : 'any',
    stopWords: typeof raw.stopWords === 'string' ? raw.stopWords : null,
  };
}

/** Settings read back; each field checked on its own. */
export function restoreSettings(raw: unknown): ExploreSettings {
  if (!isRecord(raw)) return DEFAULT_SETTINGS;
  return {
    target: raw.target === 'images' ? 'images' : 'captions',
    scope: restoreScope(raw.scope),
    sourceId: typeof raw.sourceId === 'string' && raw.sourceId ? raw.sourceId : DEFAULT_SETTINGS.sourceId,
    k: clampK(typeof raw.k === 'number' ? raw.k : NaN),
    projection: raw.projection === 'umap' ? 'umap' : 'pca',
  };
}

function restoreScope(raw: unknown): ExploreScope {
  if (!isRecord(raw)) return { kind: 'dataset' };
  switch (raw.kind) {
    case 'folder':
      return typeof raw.relPath === 'string' ? { kind: 'folder', relPath: raw.relPath } : { kind: 'dataset' };
    case 'selection': {
      const relPaths = Array.isArray(raw.relPaths) && raw.relPaths.every((p) => typeof p === 'string') ? (raw.relPaths as string[]) : undefined;
      return relPaths ? { kind: 'selection', relPaths } : { kind: 'selection' };
    }
    case 'filter':
      return typeof raw.query === 'string' ? { kind: 'filter', query: raw.query } : { kind: 'dataset' };
    default:
      return { kind: 'dataset' };
  }
}

/** Indices still valid for a layout of `count` items (a restored selection may outlive its layout). */
export function indicesWithin(indices: readonly number[] | null, count: number): number[] | null {
  if (!indices) return null;
  const kept = indices.filter((i) => i < count);
  return kept.length ? kept : null;
}

function indexList(raw: unknown): number[] | null {
  if (!Array.isArray(raw)) return null;
  return raw.filter((i): i is number => Number.isInteger(i) && i >= 0);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
