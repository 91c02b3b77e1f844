/**
 * The Gallery panel's webview: a toolbar (size, selection, bulk commands), the virtualized grid and
 * the shared-tags pane. The host sends the items packed and answers each selection with its shared
 * tags; keys: arrows move (Shift extends), Ctrl/Cmd+A, Enter opens, 0-5 rate, Delete trashes.
 */
import type { ExploreScope } from '../../protocol/exploreMessages';
import type { FromGalleryWebview, GalleryBulkCommand, GalleryCaptionTarget, GalleryState, ToGalleryWebview } from '../../protocol/galleryMessages';
import { unpackTexts } from '../../protocol/packedTexts';
import { el } from '../explore/elements';
import { Grid, MAX_THUMB, MIN_THUMB } from './grid';
import { SelectionModel } from './selectionModel';
import { SharedTagsPane } from './sharedTagsPane';

interface VsCodeApi {
  postMessage(message: FromGalleryWebview): void;
  getState(): GalleryState | undefined;
  setState(state: GalleryState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
/** A selection is sent once the clicks and keys settle this long (Ctrl+A on 100,000 items is one message). */
const SELECT_DEBOUNCE_MS = 60;
/** Selections up to this size are kept in the state for a window reload (the state is serialized on each change). */
const KEPT_SELECTION = 2_000;
let scope: ExploreScope | undefined;
let target: GalleryCaptionTarget = 'caption';
let relPaths: readonly string[] = [];

const app = document.getElementById('app')!;
const toolbar = el('div', 'toolbar', app);
const title = el('span', 'title', toolbar);
title.id = 'gallery-title';
const count = el('span', 'selection-count', toolbar);
count.id = 'selection-count';
const sizeLabel = el('label', 'size', toolbar);
sizeLabel.textContent = 'Size ';
const size = el('input', 'size-slider', sizeLabel);
size.id = 'thumb-size';
size.type = 'range';
size.min = String(MIN_THUMB);
size.max = String(MAX_THUMB);
size.value = String(vscode.getState()?.thumb ?? 160);
// Which caption the cards show and the pane edits; offered while the dataset has second captions.
const targetLabel = el('label', 'caption-target', toolbar);
targetLabel.textContent = 'Caption ';
targetLabel.hidden = true;
const targetSelect = el('select', 'caption-target-select', targetLabel);
targetSelect.id = 'caption-target';
targetSelect.addEventListener('change', () => vscode.postMessage({ type: 'target', target: targetSelect.value === 'second' ? 'second' : 'caption' }));

const toolButton = (label: string, id: string, hint: string, run: () => void): HTMLButtonElement => {
  const b = el('button', 'tool', toolbar);
  b.id = id;
  b.textContent = label;
  b.title = hint;
  b.addEventListener('click', run);
  return b;
};
const errorBar = el('div', 'error-bar', app);
errorBar.id = 'gallery-error';
errorBar.hidden = true;
const body = el('div', 'body', app);
const gridHost = el('div', '', body);
gridHost.id = 'grid';
const paneHost = el('aside', '', body);
paneHost.id = 'shared-tags';

const selection = new SelectionModel();
let revision = 0;
let selectTimer: number | undefined;
const grid = new Grid(gridHost, selection, {
  click: (position, e) => {
    selection.click(position, { toggle: e.ctrlKey || e.metaKey, range: e.shiftKey });
    gridHost.focus();
    selectionChanged();
  },
  open: (index) => vscode.postMessage({ type: 'open', index }),
  needPreview: (index) => vscode.postMessage({ type: 'preview', index }),
  fixRules: (index) => vscode.postMessage({ type: 'fixRules', index }),
});
const pane = new SharedTagsPane(
  paneHost,
  (action) => vscode.postMessage({ type: 'tagAction', action }),
  (id, typed) => vscode.postMessage({ type: 'completeTag', id, typed }),
);

toolButton('Select All', 'select-all', 'Ctrl+A', () => {
  selection.selectAll();
  selectionChanged();
});
toolButton('Invert', 'invert-selection', 'Select the others', () => {
  selection.invert();
  selectionChanged();
});
toolButton('Clear', 'clear-selection', 'Select none', () => {
  selection.clear();
  selectionChanged();
});
const bulk = (label: string, command: GalleryBulkCommand, hint: string): HTMLButtonElement => toolButton(label, `bulk-${command}`, hint, () => vscode.postMessage({ type: 'bulk', command }));
bulk('Edit Tags…', 'editTags', 'Tag operations on the selected captions');
bulk('Find & Replace…', 'findReplace', 'In the selected captions');
const captionButton = bulk('Caption…', 'caption', 'Caption the selected images with a model');
const hint = el('span', 'hint', toolbar);
hint.textContent = 'Enter opens · 0-5 rate · Delete trashes';

size.addEventListener('input', () => {
  grid.setThumbSize(Number(size.value));
  saveState();
});
grid.setThumbSize(Number(size.value));

function selectionChanged(): void {
  count.textContent = selection.size ? `${selection.size.toLocaleString('en-US')} selected` : '';
  grid.paintSelection();
  window.clearTimeout(selectTimer);
  selectTimer = window.setTimeout(() => {
    selectTimer = undefined;
    const indices = selection.indices();
    vscode.postMessage({ type: 'select', revision: ++revision, indices });
    saveState(indices);
  }, SELECT_DEBOUNCE_MS);
}

/** The size, scope and (small) selection, for the panel serializer to bring back after a reload. */
function saveState(indices: Uint32Array = selection.indices()): void {
  const selected = indices.length <= KEPT_SELECTION ? Array.from(indices, (i) => relPaths[i]) : undefined;
  vscode.setState({ thumb: Number(size.value), scope, selected, target });
}

gridHost.addEventListener('keydown', (e) => {
  const mod = e.ctrlKey || e.metaKey;
  const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -grid.columns, ArrowDown: grid.columns, Home: -Infinity, End: Infinity };
  if (e.key in moves) {
    e.preventDefault();
    const delta = moves[e.key];
    selection.move(Number.isFinite(delta) ? delta : delta > 0 ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER, e.shiftKey);
    if (selection.focus >= 0) grid.reveal(selection.focus);
    selectionChanged();
  } else if (mod && e.key.toLowerCase() === 'a') {
    e.preventDefault();
    selection.selectAll();
    selectionChanged();
  } else if (e.key === 'Enter' && selection.focus >= 0) {
    e.preventDefault();
    vscode.postMessage({ type: 'open', index: selection.focus });
  } else if (!mod && /^[0-5]$/.test(e.key)) {
    e.preventDefault();
    flushSelection();
    vscode.postMessage({ type: 'rate', stars: Number(e.key) });
  } else if (e.key === 'Delete') {
    e.preventDefault();
    flushSelection();
    vscode.postMessage({ type: 'trash' });
  }
});

/** Sends a pending selection now, so a key that acts on it acts on what the user sees. */
function flushSelection(): void {
  if (selectTimer === undefined) return;
  window.clearTimeout(selectTimer);
  selectTimer = undefined;
  vscode.postMessage({ type: 'select', revision: ++revision, indices: selection.indices() });
}

window.addEventListener('message', (event: MessageEvent<ToGalleryWebview>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'items': {
      relPaths = unpackTexts(msg.items.relPaths);
      scope = msg.scope;
      target = msg.target;
      showTarget(msg.secondCaption);
      title.textContent = msg.title;
      captionButton.disabled = !msg.trusted;
      if (!msg.trusted) captionButton.title = 'This workspace is not trusted: no image is sent to a model until you trust it.';
      selection.reset(relPaths.length);
      selection.set(msg.selected);
      grid.setItems({ relPaths, captions: unpackTexts(msg.items.captions), ruleNotes: unpackTexts(msg.items.ruleNotes), ratings: msg.items.ratings, needsPreview: msg.items.needsPreview, imageBase: msg.items.imageBase });
      if (msg.selected.length > 0) grid.reveal(msg.selected[0]);
      selectionChanged();
      gridHost.focus();
      return;
    }
    case 'captionChanged':
      grid.captionChanged(msg.index, msg.text, msg.ruleNote);
      return;
    case 'ratingsChanged':
      grid.ratingsChanged(msg.indices, msg.stars);
      return;
    case 'sharedTags':
      if (msg.revision >= revision) pane.show(msg.tags, msg.rules);
      return;
    case 'previewReady':
      grid.previewReady(msg.index, msg.src);
      return;
    case 'actionDone':
      pane.setBusy(false);
      return;
    case 'tagSuggestions':
      pane.showSuggestions(msg.id, msg.suggestions);
      return;
    case 'error':
      errorBar.textContent = msg.message;
      errorBar.hidden = false;
      pane.setBusy(false);
      return;
  }
});

/** The caption toggle: hidden without second captions; each option names its file's extension (text, not markup). */
function showTarget(secondCaption: string | undefined): void {
  targetLabel.hidden = !secondCaption;
  if (!secondCaption) return;
  const option = (value: GalleryCaptionTarget, text: string): HTMLOptionElement => {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    return o;
  };
  targetSelect.replaceChildren(option('caption', 'caption'), option('second', `second (${secondCaption})`));
  targetSelect.value = target;
}

errorBar.addEventListener('click', () => (errorBar.hidden = true));
vscode.postMessage({ type: 'ready' });
