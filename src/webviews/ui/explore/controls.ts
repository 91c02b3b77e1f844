/** The run controls: target, scope, embedding source, k (slider, field, Suggest k), projection, Run / Cancel, progress, errors, status. */
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import type { ExploreScope, ExploreSettings, KSuggestionResult, SourceChoice, ToExploreWebview } from '../../protocol/exploreMessages';
import { button, el, select, setChoices, setEnabled, type Choice, type SingleSelect, type TextField } from './elements';
import { clampK, K_MAX, K_MIN } from './state';

type InitMessage = Extract<ToExploreWebview, { type: 'init' }>;

/** What the controls ask of the panel. */
export interface ControlHandlers {
  run(settings: ExploreSettings): void;
  suggestK(settings: ExploreSettings, min: number, max: number): void;
  cancel(): void;
  /** Any setting changed (kept in the state). */
  changed(settings: ExploreSettings): void;
}

/** k values "Suggest k" scores (silhouette): the NVIDIA tool's elbow range, widened a little. */
export const SUGGEST_RANGE = { min: 2, max: 15 } as const;

interface ProgressBar extends HTMLElement {
  value?: number;
  max: number;
  indeterminate: boolean;
}

export class Controls {
  private readonly target: SingleSelect;
  private readonly scope: SingleSelect;
  private readonly source: SingleSelect;
  private readonly projection: SingleSelect;
  private readonly kSlider: HTMLInputElement;
  private readonly kField: TextField;
  private readonly kScores: HTMLElement;
  private readonly suggestButton: HTMLElement;
  private readonly runButton: HTMLElement;
  private readonly cancelButton: HTMLElement;
  private readonly progressRow: HTMLElement;
  private readonly progressBar: ProgressBar;
  private readonly progressStage: HTMLElement;
  private readonly errorBar: HTMLElement;
  private readonly errorText: HTMLElement;
  private readonly statusLine: HTMLElement;
  private init: InitMessage | undefined;
  private current: ExploreSettings;

  constructor(parent: HTMLElement, settings: ExploreSettings, private readonly handlers: ControlHandlers) {
    this.current = settings;
    const row = el('div', 'controls', parent);
    this.target = select(row, 'Target', 'target');
    this.scope = select(row, 'Scope', 'scope');
    this.source = select(row, 'Embedding', 'source');
    const kWrap = el('label', 'control k-control', row);
    el('span', 'control-label', kWrap).textContent = 'k';
    this.kSlider = el('input', 'k-slider', kWrap);
    this.kSlider.id = 'k-slider';
    this.kSlider.type = 'range';
    this.kSlider.min = String(K_MIN);
    this.kSlider.max = String(K_MAX);
    this.kSlider.setAttribute('aria-label', 'Number of clusters');
    this.kField = document.createElement('vscode-textfield') as TextField;
    this.kField.id = 'k';
    this.kField.className = 'k-field';
    this.kField.setAttribute('type', 'number');
    this.kField.setAttribute('min', String(K_MIN));
    this.kField.setAttribute('max', String(K_MAX));
    this.kField.setAttribute('aria-label', 'Number of clusters');
    kWrap.appendChild(this.kField);
    this.suggestButton = button(row, 'Suggest k', 'suggest-k', 'lightbulb', true);
    this.suggestButton.title = `Score k = ${SUGGEST_RANGE.min}…${SUGGEST_RANGE.max} by silhouette (on a sample for large sets) and take the best`;
    this.projection = select(row, 'Projection', 'projection');
    setChoices(this.projection, [{ value: 'pca', label: 'PCA' }, { value: 'umap', label: 'UMAP' }], settings.projection);
    this.runButton = button(row, 'Run', 'run', 'play');
    this.cancelButton = button(row, 'Cancel', 'cancel', 'debug-stop', true);
    this.cancelButton.hidden = true;
    this.kScores = el('div', 'k-scores', parent);
    this.kScores.id = 'k-scores';
    this.kScores.hidden = true;

    this.progressRow = el('div', 'progress', parent);
    this.progressRow.hidden = true;
    this.progressBar = document.createElement('vscode-progress-bar') as ProgressBar;
    this.progressBar.id = 'progress';
    this.progressRow.appendChild(this.progressBar);
    this.progressStage = el('span', 'progress-stage', this.progressRow);
    this.progressStage.id = 'progress-stage';
    this.errorBar = el('div', 'message-bar error', parent);
    this.errorBar.id = 'error';
    this.errorBar.setAttribute('role', 'alert');
    this.errorBar.hidden = true;
    el('span', 'codicon codicon-error', this.errorBar);
    this.errorText = el('span', 'message-text', this.errorBar);
    const dismiss = el('button', 'dismiss', this.errorBar);
    dismiss.title = 'Dismiss';
    el('span', 'codicon codicon-close', dismiss);
    dismiss.addEventListener('click', () => this.showError(null));
    this.statusLine = el('div', 'status-line', parent);
    this.statusLine.id = 'status';

    this.setK(settings.k);
    setChoices(this.target, [{ value: 'captions', label: 'Captions' }, { value: 'images', label: 'Images' }], settings.target);
    this.target.addEventListener('change', () => {
      this.fillSources();
      this.update();
    });
    for (const s of [this.scope, this.source, this.projection]) s.addEventListener('change', () => this.update());
    this.kSlider.addEventListener('input', () => {
      this.setK(Number(this.kSlider.value));
      this.update();
    });
    this.kField.addEventListener('change', () => {
      this.setK(Number(this.kField.value));
      this.update();
    });
    this.kField.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.handlers.run(this.settings());
    });
    this.runButton.addEventListener('click', () => this.handlers.run(this.settings()));
    this.cancelButton.addEventListener('click', () => this.handlers.cancel());
    this.suggestButton.addEventListener('click', () => {
      this.kScores.hidden = false;
      this.kScores.textContent = 'Scoring k…';
      this.handlers.suggestK(this.settings(), SUGGEST_RANGE.min, SUGGEST_RANGE.max);
    });
  }

  /** Fills the pickers from the host's `init` (sources, folders, the Dataset view's filter and selection). */
  setInit(init: InitMessage): void {
    this.init = init;
    this.fillScopes();
    this.fillSources();
  }

  /** Shows `settings` in the controls (a restored state, or the settings a layout was made with). */
  setSettings(settings: ExploreSettings): void {
    this.current = settings;
    this.target.value = settings.target;
    this.projection.value = settings.projection;
    this.setK(settings.k);
    if (this.init) {
      this.fillScopes();
      this.fillSources();
    }
  }

  /**
   * The settings as the controls show them. The Dataset view's selection and filter are read when a
   * run is posted (the host fills in the selection's paths), so Run takes what the view shows now.
   */
  settings(): ExploreSettings {
    return this.init ? { ...this.current, scope: this.readScope() } : this.current;
  }

  /** Run and Suggest k are off while a run is in flight; Cancel shows instead. */
  setRunning(running: boolean): void {
    setEnabled(this.runButton, !running);
    setEnabled(this.suggestButton, !running);
    this.cancelButton.hidden = !running;
    this.progressRow.hidden = !running;
    if (running) {
      this.progressBar.indeterminate = true;
      this.progressStage.textContent = 'Starting…';
    }
  }

  /** A `progress` message: the stage and, when the total is known, how far. */
  progress(stage: string, done: number, total: number): void {
    this.progressRow.hidden = false;
    if (total > 0) {
      this.progressBar.indeterminate = false;
      this.progressBar.max = total;
      this.progressBar.value = Math.min(done, total);
    } else this.progressBar.indeterminate = true;
    this.progressStage.textContent = total > 0 ? `${stage} ${done.toLocaleString()} / ${total.toLocaleString()}` : stage;
  }

  /** Shows an error in the message bar (null hides it). */
  showError(message: string | null): void {
    this.errorBar.hidden = message === null;
    this.errorText.textContent = message ?? '';
  }

  showStatus(text: string): void {
    this.statusLine.textContent = text;
  }

  /** The silhouette scores of "Suggest k"; k becomes the best. */
  showSuggestion(result: KSuggestionResult): void {
    this.kScores.hidden = false;
    const scores = result.scores.map((s) => `${s.k}: ${s.score.toFixed(3)}`).join('  ·  ');
    this.kScores.textContent = `Suggested k = ${result.best} (silhouette ${scores})`;
    this.setK(result.best);
    this.update();
  }

  private setK(k: number): void {
    const value = clampK(k);
    this.kSlider.value = String(value);
    if (this.kField.value !== String(value)) this.kField.value = String(value);
    this.current = { ...this.current, k: value };
  }

  private fillScopes(): void {
    const init = this.init!;
    const choices: Choice[] = [{ value: 'dataset', label: 'Whole dataset' }];
    for (const folder of init.folders) if (folder) choices.push({ value: `folder:${folder}`, label: `Folder ▸ ${folder}` });
    choices.push({
      value: 'selection',
      label: `Dataset view selection (${init.selectionSize})`,
      disabled: init.selectionSize === 0 && this.current.scope.kind !== 'selection',
      title: init.selectionSize === 0 ? 'Select images in the Dataset view first' : undefined,
    });
    choices.push({
      value: 'filter',
      label: init.filterQuery ? `Current filter: ${init.filterQuery}` : 'Current filter',
      disabled: !init.filterQuery && this.current.scope.kind !== 'filter',
      title: init.filterQuery ? undefined : 'Filter the Dataset view first',
    });
    const scope = this.current.scope;
    const value = scope.kind === 'folder' ? `folder:${scope.relPath}` : scope.kind;
    if (scope.kind === 'folder' && !choices.some((c) => c.value === value)) choices.push({ value, label: `Folder ▸ ${scope.relPath}` });
    setChoices(this.scope, choices, value);
  }

  private fillSources(): void {
    const init = this.init;
    if (!init) return;
    const target = this.target.value === 'images' ? 'images' : 'captions';
    const sources: readonly SourceChoice[] = init.sources.filter((s) => s.target === target);
    const choices = sources.map((s) => ({ value: s.id, label: s.label, disabled: !s.available, title: s.available ? undefined : s.why }));
    setChoices(this.source, choices, this.current.sourceId);
  }

  private update(): void {
    this.current = {
      target: this.target.value === 'images' ? 'images' : 'captions',
      scope: this.readScope(),
      sourceId: this.source.value || 'builtin',
      k: clampK(Number(this.kSlider.value)),
      projection: this.projection.value === 'umap' ? 'umap' : 'pca',
    };
    this.handlers.changed(this.current);
  }

  private readScope(): ExploreScope {
    const value = this.scope.value;
    if (value.startsWith('folder:')) return { kind: 'folder', relPath: value.slice('folder:'.length) };
    if (value === 'selection') return { kind: 'selection' };
    if (value === 'filter') return { kind: 'filter', query: this.init?.filterQuery ?? '' };
    return { kind: 'dataset' };
  }
}
