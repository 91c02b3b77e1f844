/**
 * The Explore panel ("Visualize Dataset"): run controls, the scatter plot of a layout, the cluster
 * list, the keyword filter, the gallery of a selection or cluster with captions editable in place,
 * its word cloud and frequency table, and bulk actions. Item i of a layout is point i everywhere.
 */
import { unpackTexts } from '../../protocol/packedTexts';
import type { ExploreItems, ExploreLayout, ExploreSettings, FromExploreWebview, ToExploreWebview } from '../../protocol/exploreMessages';
import { ActionsBar } from './actionsBar';
import { ClusterList } from './clusterList';
import { Controls } from './controls';
import { el } from './elements';
import { FilterBar } from './filterBar';
import { Gallery } from './gallery';
import { imageSrc } from './imageSrc';
import { isFilterError, matchIndices, matchItem, matchItems, parseFilter, type FilterSpec } from './keywordFilter';
import { ScatterPlot } from './scatterPlot';
import { indicesWithin, restoreState, type SavedState } from './state';
import { Tooltip } from './tooltip';
import { WordPane } from './wordPane';

interface VsCodeApi {
  postMessage(message: FromExploreWebview): void;
  getState(): unknown;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** The gallery's group: a plot selection or a cluster, with a membership mask for quick tests. */
interface Group {
  readonly kind: 'selection' | 'cluster';
  readonly clusterId?: number;
  readonly indices: Int32Array;
  readonly mask: Uint8Array;
}

const vscode = acquireVsCodeApi();
const send = (message: FromExploreWebview): void => vscode.postMessage(message);
let state: SavedState = restoreState(vscode.getState());
const save = (patch: Partial<SavedState>): void => {
  state = { ...state, ...patch };
  vscode.setState(state);
};

let items: ExploreItems | undefined;
let layout: ExploreLayout | undefined;
/** The captions as saved; `captionChanged` updates them (the gallery, filter and words read this array). */
let captions: string[] = [];
let group: Group | null = null;
let filter: FilterSpec = { kind: 'none' };
let matches: Uint8Array | null = null;
let initialised = false;
/** The layout answering the restored run brings back the saved selection, cluster and toggles. */
let restoring = state.layoutSettings !== null;
let recountTimer: ReturnType<typeof setTimeout> | undefined;
/** Counts layouts, so a plot that finishes drawing after a newer layout arrived does not apply the old one's group. */
let layoutToken = 0;

const app = document.getElementById('app')!;
const controls = new Controls(app, state.settings, {
  run: (settings) => run(settings),
  suggestK: (settings, min, max) => send({ type: 'suggestK', settings, min, max }),
  cancel: () => send({ type: 'cancel' }),
  changed: (settings) => save({ settings }),
});
const workspace = el('div', 'workspace', app);
const plotPane = el('div', 'plot-pane', workspace);
plotPane.id = 'plot';
const sidePane = el('div', 'side-pane', workspace);
const galleryPane = el('div', 'gallery-pane', workspace);
const wordsPane = el('div', 'words-pane', workspace);
wordsPane.id = 'words';

const tooltip = new Tooltip(document.body);
const plot = new ScatterPlot(plotPane, {
  onSelect: (indices) => setGroup(indices && indices.length ? makeGroup('selection', indices) : null, false),
  onClick: (index) => send({ type: 'openImage', index }),
  onHover: (index, x, y) => {
    if (index === null || !items) return tooltip.hide();
    tooltip.show(imageSrc(items.imageBase, items.relPaths[index]), items.relPaths[index], captions[index] ?? '', x, y);
  },
  // Plotly's legend and the cluster list are one control: a legend click updates the list and the saved state.
  onLegend: (hidden) => {
    clusterList.setHidden(hidden);
    save({ hiddenClusters: [...hidden] });
  },
});
const filterBar = new FilterBar(sidePane, state.filterText, state.filterMode, {
  changed: (text, mode) => {
    save({ filterText: text, filterMode: mode });
    applyFilter();
  },
  selectMatches: () => {
    if (matches) setGroup(makeGroup('selection', matchIndices(matches)), true);
  },
});
const clusterList = new ClusterList(sidePane, {
  open: (id) => openCluster(id),
  visibility: (hidden) => {
    save({ hiddenClusters: [...hidden] });
    showClusters();
  },
});
const groupHead = el('div', 'group-head', galleryPane);
const groupTitle = el('span', 'group-title', groupHead);
groupTitle.id = 'group-title';
const actions = new ActionsBar(groupHead, (action) => {
  if (group) send({ type: 'action', action, indices: Array.from(group.indices) });
});
const galleryScroller = el('div', 'gallery-scroller', galleryPane);
galleryScroller.id = 'gallery';
const gallery = new Gallery(galleryScroller, {
  commit: (index, text) => send({ type: 'editCaption', index, text }),
  open: (index) => send({ type: 'openImage', index }),
});
const words = new WordPane(wordsPane, state.stopWords, {
  stopWordsChanged: (list, text) => {
    save({ stopWords: text });
    send({ type: 'setStopWords', words: list });
  },
});
showGroupTitle();
// VS Code swaps the body's theme class with its variables: the swatches follow the plot's colours.
new MutationObserver(() => clusterList.recolour()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

window.addEventListener('message', (event: MessageEvent<ToExploreWebview>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      controls.setInit(msg);
      actions.setTrusted(msg.trusted);
      words.setDefaultStopWords(msg.stopWords);
      if (!initialised && state.layoutSettings) run(state.layoutSettings);
      initialised = true;
      break;
    case 'progress':
      controls.progress(msg.stage, msg.done, msg.total);
      break;
    case 'layout':
      showLayout(msg);
      break;
    case 'kSuggestion':
      controls.showSuggestion(msg.result);
      break;
    case 'captionChanged':
      captionChanged(msg.index, msg.text);
      break;
    case 'captionSaveFailed':
      gallery.saveFailed(msg.index, msg.error);
      break;
    case 'ratingsChanged':
      ratingsChanged(msg.indices, msg.stars);
      break;
    case 'secondCaptionsChanged':
      secondCaptionsChanged(msg.indices, msg.texts);
      break;
    case 'cancelled':
      controls.setRunning(false);
      controls.showStatus(layout ? 'Cancelled: the previous layout stays.' : 'Cancelled.');
      restoring = false;
      break;
    case 'error':
      controls.setRunning(false);
      controls.showError(msg.message);
      restoring = false;
      break;
  }
});

function run(settings: ExploreSettings): void {
  controls.showError(null);
  controls.setRunning(true);
  send({ type: 'run', settings });
}

function showLayout(msg: Extract<ToExploreWebview, { type: 'layout' }>): void {
  controls.setRunning(false);
  const second = msg.items.secondCaptions;
  items = { relPaths: unpackTexts(msg.items.relPaths), captions: unpackTexts(msg.items.captions), editable: msg.items.editable, imageBase: msg.items.imageBase, ratings: msg.items.ratings, secondCaptions: second && unpackTexts(second) };
  layout = msg.layout;
  captions = Array.from(items.captions);
  controls.setSettings(msg.settings);
  const restored = restoring;
  restoring = false;
  save({ settings: msg.settings, layoutSettings: msg.settings, ...(restored ? {} : { selection: null, activeCluster: null, hiddenClusters: [] }) });
  gallery.setItems(items, captions);
  clusterList.setClusters(msg.layout.clusters, state.hiddenClusters);
  controls.showStatus(statusText(msg));
  const l = msg.layout;
  const token = ++layoutToken;
  void plot
    .setData({ x: l.x, y: l.y, labels: l.labels, clusters: l.clusters })
    .then(() => {
      if (token !== layoutToken) return;
      showClusters();
      applyFilter();
      if (restored && state.activeCluster !== null && l.clusters.some((c) => c.id === state.activeCluster)) openCluster(state.activeCluster);
      else {
        const selection = restored ? indicesWithin(state.selection, l.count) : null;
        setGroup(selection ? makeGroup('selection', selection) : null, true);
      }
    })
    .catch((e: unknown) => controls.showError(`The plot could not be drawn: ${e instanceof Error ? e.message : String(e)}`));
}

function statusText(msg: Extract<ToExploreWebview, { type: 'layout' }>): string {
  const l = msg.layout;
  const parts = [`${l.count.toLocaleString()} ${msg.settings.target}`, `k = ${l.clusters.length}`, msg.settings.projection.toUpperCase()];
  if (l.explained !== undefined) parts[2] += ` (${(l.explained * 100).toFixed(1)}% of the variance)`;
  if (msg.fromCache) parts.push('from cache');
  const timings = Object.entries(l.timings).map(([step, ms]) => `${step} ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`);
  if (timings.length) parts.push(timings.join(', '));
  if (msg.failed.length) {
    const first = msg.failed[0];
    parts.push(`${msg.failed.length.toLocaleString()} left out (${first.relPath}: ${first.error}${msg.failed.length > 1 ? ', …' : ''})`);
  }
  return parts.join('  ·  ');
}

function makeGroup(kind: 'selection' | 'cluster', indices: ArrayLike<number>, clusterId?: number): Group {
  const mask = new Uint8Array(layout?.count ?? 0);
  const list = Int32Array.from(indices as ArrayLike<number>);
  for (const i of list) mask[i] = 1;
  return { kind, clusterId, indices: list, mask };
}

/** A cluster becomes the group: its points are selected in the plot, its items fill the gallery and its words the cloud. */
function openCluster(id: number): void {
  if (!layout) return;
  const members: number[] = [];
  const labels = layout.labels;
  for (let i = 0; i < labels.length; i++) if (labels[i] === id) members.push(i);
  setGroup(makeGroup('cluster', members, id), true);
}

/** Makes `next` the gallery's group; `toPlot`: also show it as the plot's selection (it did not come from there). */
function setGroup(next: Group | null, toPlot: boolean): void {
  group = next;
  if (toPlot) plot.setSelection(next ? Array.from(next.indices) : null);
  gallery.show(next ? next.indices : null);
  words.show(captions, next ? next.indices : null);
  clusterList.setActive(next?.kind === 'cluster' ? next.clusterId! : null);
  actions.setHasGroup(!!next && next.indices.length > 0);
  save({
    selection: next?.kind === 'selection' ? Array.from(next.indices) : null,
    activeCluster: next?.kind === 'cluster' ? next.clusterId! : null,
  });
  showGroupTitle();
}

function showGroupTitle(): void {
  if (!group) {
    groupTitle.textContent = 'No selection';
    return;
  }
  const n = group.indices.length.toLocaleString();
  if (group.kind === 'selection') groupTitle.textContent = `Selection · ${n} items`;
  else {
    const terms = layout?.clusters.find((c) => c.id === group!.clusterId)?.terms ?? [];
    groupTitle.textContent = `Cluster ${group.clusterId} · ${n} items${terms.length ? ` · ${terms.slice(0, 4).join(' · ')}` : ''}`;
  }
}

function showClusters(): void {
  if (!layout) return;
  const hidden = new Set(state.hiddenClusters);
  plot.showClusters(hidden.size ? new Set(layout.clusters.map((c) => c.id).filter((id) => !hidden.has(id))) : null);
}

function applyFilter(): void {
  const total = items?.captions.length ?? 0;
  const parsed = parseFilter(state.filterText, state.filterMode);
  if (isFilterError(parsed)) {
    filterBar.showResult(null, total, parsed.error);
    return;
  }
  filter = parsed;
  if (!items) return filterBar.showResult(null, 0);
  const result = matchItems(filter, { ...items, captions });
  matches = result.matches;
  plot.highlight(matches);
  gallery.setMatches(matches);
  filterBar.showResult(matches ? result.count : null, total);
}

/** New stars: the cards show them and a filter with `rating` terms matches again. */
function ratingsChanged(indices: readonly number[], stars: readonly number[]): void {
  const ratings = items?.ratings;
  if (!items || !ratings) return;
  indices.forEach((i, n) => i >= 0 && i < ratings.length && (ratings[i] = stars[n]));
  gallery.refresh(indices);
  if (filter.kind !== 'none') applyFilter();
}

/** New second captions: the cards show them and a filter with `caption2:` terms matches again. */
function secondCaptionsChanged(indices: readonly number[], texts: readonly string[]): void {
  const seconds = items?.secondCaptions as string[] | undefined;
  if (!items || !seconds) return;
  indices.forEach((i, n) => i >= 0 && i < seconds.length && (seconds[i] = texts[n]));
  gallery.refresh(indices);
  if (filter.kind !== 'none') applyFilter();
}

function captionChanged(index: number, text: string): void {
  if (!items || index < 0 || index >= captions.length) return;
  captions[index] = text;
  gallery.captionChanged(index, text);
  if (matches && filter.kind !== 'none') {
    // One item changed: test just that item again.
    const one = matchItem(filter, { ...items, captions }, index) ? 1 : 0;
    if (one !== matches[index]) {
      matches[index] = one;
      plot.highlight(matches);
      gallery.setMatches(matches);
      let count = 0;
      for (let i = 0; i < matches.length; i++) count += matches[i];
      filterBar.showResult(count, captions.length);
    }
  }
  if (group?.mask[index]) {
    // Saves arrive one by one during a bulk edit: recount once they settle.
    clearTimeout(recountTimer);
    recountTimer = setTimeout(() => words.recount(), 200);
  }
}

send({ type: 'ready' });
