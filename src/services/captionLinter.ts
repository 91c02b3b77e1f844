import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import * as vscode from 'vscode';
import { duplicateKey } from '../core/lint/duplicates';
import { CaptionRuleContext, lintCaptionText } from '../core/lint/captionRules';
import { CompiledTagRules, NO_TAG_RULES } from '../core/tagging/tagRules';
import { affectsTagRules, readTagRules } from './tagRulesSetting';
import { lintCaptions } from '../core/lint/lintCaptions';
import { lintConfig, LintConfig } from '../core/lint/lintConfig';
import { ESTIMATED_TOKENS, type TokenCounter } from '../core/lint/tokenBudget';
import type { ImageEntry } from '../core/dataset/types';
import { DatasetService } from './datasetService';
import { LINT_SECTION, lintConfigFromSettings } from './lintSettings';
import { lineStarts } from './lintRanges';
import { allProblems, diagnosticOf, engineText, LINT_SOURCE, type LintedCaption } from './lintedCaption';
import { showWarning } from './notifications';
import { runModelRules, type LintModelDeps } from './lintModelRules';
import type { LintTokens } from './lintTokens';

/** How long one turn of a run may hold the extension host before it yields (ms). */
const SLICE_MS = 4;
/** Files per DiagnosticCollection.set: each call serializes its batch to the workbench in the same turn. */
const SET_BATCH = 500;
/** Quiet time after a change before the caption is linted again (ms). */
const DEBOUNCE_MS = 300;

/** What the linter may use besides the dataset: CLIP's tokenizer, the model-based rules, a log. */
export interface CaptionLinterDeps {
  readonly tokens?: LintTokens;
  readonly models?: LintModelDeps;
  readonly log?: (line: string) => void;
}

/** Rules whose problem is about the caption's text as it was when the models ran: an edit drops them. */
const TEXT_MODEL_RULES = new Set(['near-duplicate-caption', 'low-clip-score']);

/**
 * Lints caption files into the "Image Captioner" diagnostics: a scope on demand, in slices of a few
 * ms, then each caption again (debounced) as its document or file changes, until cleared. Runs no
 * model and reads nothing but the dataset's caption files, so it works in untrusted folders.
 */
export class CaptionLinter implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(LINT_SOURCE);
  private readonly captions = new Map<string, LintedCaption>();
  /** Duplicate key → the caption paths that have it. */
  private readonly groups = new Map<string, Set<string>>();
  private config: LintConfig = lintConfig();
  private tagRules = new CompiledTagRules(NO_TAG_RULES);
  private generation = 0;
  private active = false;
  /** The index the linted captions came from. */
  private lintedIndex?: DatasetService['index'];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[];
  private readonly reportedSettings = new Set<string>();
  /** The token counter the last run's captions were linted with. */
  private tokens: TokenCounter = ESTIMATED_TOKENS;
  private captionEmbeddings = '';
  /** Stops the running model rules (a newer run or Clear Lint). */
  private modelRun?: AbortController;
  /** What the last run said about token counting and each model rule (also in the log). */
  notes: string[] = [];

  constructor(
    private readonly dataset: DatasetService,
    private readonly deps: CaptionLinterDeps = {},
  ) {
    this.disposables = [
      this.collection,
      vscode.workspace.onDidChangeTextDocument((e) => {
        const caption = this.captions.get(e.document.uri.fsPath);
        if (caption && e.document.uri.scheme === 'file' && e.contentChanges.length > 0) this.schedule(caption.captionPath, () => engineText(e.document.getText()));
      }),
      // a document closed unsaved leaves the disk's text as the caption
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === 'file' && this.captions.has(doc.uri.fsPath)) this.schedule(doc.uri.fsPath, () => this.currentText(doc.uri.fsPath));
      }),
      dataset.onDidChange((change) => {
        if (!this.active) return;
        // a change without images is a new index, or the background read of every caption ending: only the first needs a new run
        if (!change.images) return this.dataset.index === this.lintedIndex ? undefined : this.schedule('', async () => (await this.rerunScope(), undefined));
        const index = this.dataset.index;
        for (const image of change.images) {
          const captionPath = index?.captionPath(image);
          if (captionPath && this.captions.has(captionPath)) this.schedule(captionPath, () => this.currentText(captionPath));
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (this.active && (e.affectsConfiguration(LINT_SECTION) || affectsTagRules(e))) void this.run([...this.captions.values()]).catch((err: unknown) => this.fail(err));
      }),
    ];
  }

  /** The linted caption at `uri`, when it is one. */
  get(uri: vscode.Uri): LintedCaption | undefined {
    return uri.scheme === 'file' ? this.captions.get(uri.fsPath) : undefined;
  }

  /** Every linted caption. */
  all(): IterableIterator<LintedCaption> {
    return this.captions.values();
  }

  /** Lints the caption files of `images` (those that have one), replacing any earlier run; resolves when every diagnostic is set. */
  async lint(images: readonly ImageEntry[]): Promise<number> {
    const index = this.dataset.index;
    if (!index) return 0;
    this.active = true;
    this.lintedIndex = index;
    await this.dataset.loadCaptions(images);
    if (!this.active) return 0; // cleared while the captions were read
    const open = openDocuments();
    const sources: Array<{ captionPath: string; imagePath: string; text: string }> = [];
    for (const image of images) {
      const captionPath = index.captionPath(image);
      const doc = open.get(captionPath);
      const text = doc ? engineText(doc.getText()) : image.captionState === 'none' ? undefined : this.dataset.texts?.get(image);
      if (text !== undefined) sources.push({ captionPath, imagePath: index.imagePath(image), text });
    }
    return this.run(sources);
  }

  /** Forgets every problem and stops linting on change until the next run. */
  clear(): void {
    this.generation++;
    this.modelRun?.abort();
    this.active = false;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.captions.clear();
    this.groups.clear();
    this.collection.clear();
  }

  private async run(sources: ReadonlyArray<{ captionPath: string; imagePath: string; text: string }>): Promise<number> {
    const generation = ++this.generation;
    this.modelRun?.abort();
    this.config = this.readConfig();
    const notes: string[] = [];
    const tokens = await this.counterFor(sources.map((s) => s.text));
    if (generation !== this.generation) return 0;
    this.tokens = tokens.counter;
    if (tokens.note) notes.push(tokens.note);
    this.captions.clear();
    this.groups.clear();
    let deadline = Date.now() + SLICE_MS;
    const pause = async (): Promise<boolean> => {
      if (Date.now() < deadline) return false;
      await yieldToEventLoop();
      deadline = Date.now() + SLICE_MS;
      return generation !== this.generation;
    };
    for (const s of sources) {
      const caption: LintedCaption = { ...s, uri: vscode.Uri.file(s.captionPath), starts: [], problems: [], modelProblems: [], key: '' };
      this.update(caption, s.text);
      this.captions.set(s.captionPath, caption);
      this.join(caption);
      if (await pause()) return 0;
    }
    for (const key of this.groups.keys()) {
      this.markDuplicates(key);
      if (await pause()) return 0;
    }
    this.collection.clear();
    let batch: Array<[vscode.Uri, vscode.Diagnostic[]]> = [];
    for (const caption of this.captions.values()) {
      batch.push([caption.uri, allProblems(caption).map((p) => diagnosticOf(caption, p))]);
      if (batch.length >= SET_BATCH || Date.now() >= deadline) {
        this.collection.set(batch);
        batch = [];
        deadline = 0; // the set itself took time: yield now
        if (await pause()) return 0;
      }
    }
    this.collection.set(batch);
    if (!(await this.runModelRules(generation, notes))) return 0;
    this.notes = notes;
    for (const note of notes) this.deps.log?.(`Lint: ${note}`);
    return this.captions.size;
  }

  /** The token counter for `texts`: CLIP's tokenizer when it can count, the estimate otherwise (the note says which). */
  private async counterFor(texts: readonly string[]): Promise<{ counter: TokenCounter; note?: string }> {
    if (!this.deps.tokens || this.config.tokenBudget.level === 'off') return { counter: ESTIMATED_TOKENS };
    return this.deps.tokens.counter(texts, this.config.tokenBudget.maxTokens);
  }

  /** Runs the model-based rules that are on over the run's captions and publishes what they found; false when superseded. */
  private async runModelRules(generation: number, notes: string[]): Promise<boolean> {
    const { models } = this.deps;
    const on = (['nearDuplicateCaptions', 'nearDuplicateImages', 'lowClipScore'] as const).some((rule) => this.config[rule].level !== 'off');
    if (!models || !on || this.captions.size === 0) return true;
    const abort = (this.modelRun = new AbortController());
    const captions = [...this.captions.values()];
    const index = this.dataset.index;
    const idOf = (k: number): string => index?.relativePath(captions[k].captionPath) ?? captions[k].captionPath;
    let result;
    try {
      result = await runModelRules(captions, idOf, this.config, this.captionEmbeddings, models, abort.signal);
    } catch (err) {
      if (abort.signal.aborted || generation !== this.generation) return false;
      throw err;
    }
    if (generation !== this.generation) return false;
    notes.push(...result.notes);
    let deadline = Date.now() + SLICE_MS;
    let batch: Array<[vscode.Uri, vscode.Diagnostic[]]> = [];
    for (let k = 0; k < captions.length; k++) {
      const caption = captions[k];
      if (caption.modelProblems.length === 0 && result.problems[k].length === 0) continue;
      caption.modelProblems = result.problems[k];
      batch.push([caption.uri, allProblems(caption).map((p) => diagnosticOf(caption, p))]);
      if (batch.length >= SET_BATCH || Date.now() >= deadline) {
        this.collection.set(batch);
        batch = [];
        await yieldToEventLoop();
        deadline = Date.now() + SLICE_MS;
        if (generation !== this.generation) return false;
      }
    }
    this.collection.set(batch);
    return true;
  }

  /** Lints one caption's new text and publishes it and the captions whose duplicate group it left or joined. */
  private relint(captionPath: string, text: string | undefined, tokens: TokenCounter): void {
    const caption = this.captions.get(captionPath);
    if (!caption) return;
    const oldKey = caption.key;
    this.leave(caption);
    if (text === undefined) {
      // the caption file is gone or unreadable: nothing left to point at
      this.captions.delete(captionPath);
      this.collection.delete(caption.uri);
    } else {
      if (text !== caption.text) caption.modelProblems = caption.modelProblems.filter((p) => !TEXT_MODEL_RULES.has(p.rule));
      this.update(caption, text, tokens);
      this.join(caption);
    }
    const touched = new Set<string>([captionPath]);
    for (const key of new Set([oldKey, caption.key])) {
      for (const p of this.groups.get(key) ?? []) touched.add(p);
      this.markDuplicates(key);
    }
    for (const p of touched) {
      const c = this.captions.get(p);
      if (c) this.collection.set(c.uri, allProblems(c).map((problem) => diagnosticOf(c, problem)));
    }
  }

  private update(caption: LintedCaption, text: string, tokens = this.tokens): void {
    caption.text = text;
    caption.starts = lineStarts(text);
    caption.problems = lintCaptionText(text, { config: this.config, tokens, tagRules: this.tagRulesFor(caption.imagePath) });
    caption.key = duplicateKey(text);
    caption.duplicate = undefined;
  }

  private join(caption: LintedCaption): void {
    if (caption.key === '') return; // blank captions are the empty rule's
    let group = this.groups.get(caption.key);
    if (!group) this.groups.set(caption.key, (group = new Set()));
    group.add(caption.captionPath);
  }

  private leave(caption: LintedCaption): void {
    const group = this.groups.get(caption.key);
    group?.delete(caption.captionPath);
    if (group?.size === 0) this.groups.delete(caption.key);
  }

  /** Sets the duplicate problem of each caption with `key`: the engine's rule run over the group alone. */
  private markDuplicates(key: string): void {
    const members = [...(this.groups.get(key) ?? [])].map((p) => this.captions.get(p)!);
    for (const m of members) m.duplicate = undefined;
    if (members.length < 2 || this.config.duplicates.level === 'off') return;
    const onlyDuplicates = lintConfig({
      empty: { level: 'off' }, tokenBudget: { level: 'off' }, bannedPhrases: { level: 'off' }, trigger: { level: 'off' }, artefacts: { level: 'off' },
      duplicates: this.config.duplicates,
    });
    const index = this.dataset.index;
    const { problems } = lintCaptions(members.map((m) => ({ id: index?.relativePath(m.captionPath) ?? m.captionPath, text: m.text })), { config: onlyDuplicates });
    members.forEach((m, i) => (m.duplicate = problems[i].find((p) => p.rule === 'duplicate')));
  }

  /** Runs `work` once `key` has been quiet for the debounce time. */
  private schedule(key: string, text: () => string | undefined | Promise<string | undefined>): void {
    clearTimeout(this.timers.get(key));
    const generation = this.generation;
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void (async () => {
        if (key === '') return void (await text());
        const value = await text();
        if (generation !== this.generation) return;
        const tokens = value === undefined ? this.tokens : (await this.counterFor([value])).counter;
        if (generation === this.generation) this.relint(key, value, tokens);
      })().catch((err: unknown) => this.fail(err));
    }, DEBOUNCE_MS));
  }

  /** The caption as the user sees it: its open document's text, else the file's. */
  private async currentText(captionPath: string): Promise<string | undefined> {
    const doc = openDocuments().get(captionPath);
    if (doc) return engineText(doc.getText());
    const caption = this.captions.get(captionPath);
    const image = caption && this.dataset.index?.findImage(caption.imagePath);
    if (!image) return undefined;
    await this.dataset.loadCaptions([image]);
    return image.captionState === 'none' || image.captionState === 'unreadable' ? undefined : this.dataset.texts?.get(image);
  }

  /** The dataset was read again: the same images (found by path in the new index) are linted again. */
  private async rerunScope(): Promise<void> {
    const index = this.dataset.index;
    if (!index) return this.clear();
    const images = [...this.captions.values()].map((c) => index.findImage(c.imagePath)).filter((i): i is ImageEntry => Boolean(i));
    await this.lint(images);
  }

  /** The tag rules with the image's dataset-relative folder (forward slashes), or none outside the dataset. */
  private tagRulesFor(imagePath: string): CaptionRuleContext['tagRules'] {
    const index = this.dataset.index;
    if (this.tagRules.isEmpty || !index) return undefined;
    const rel = index.relativePath(imagePath);
    if (rel === undefined) return undefined;
    const slash = rel.lastIndexOf('/');
    return { rules: this.tagRules, folder: slash === -1 ? '' : rel.slice(0, slash) };
  }

  private readConfig(): LintConfig {
    const tagRules = readTagRules();
    this.tagRules = tagRules.rules;
    for (const problem of tagRules.problems) {
      if (this.reportedSettings.has(problem)) continue;
      this.reportedSettings.add(problem);
      void showWarning(problem);
    }
    const settings = vscode.workspace.getConfiguration(LINT_SECTION);
    const { config, problems, captionEmbeddings } = lintConfigFromSettings((key) => settings.get(key));
    this.captionEmbeddings = captionEmbeddings;
    for (const problem of problems) {
      if (this.reportedSettings.has(problem)) continue;
      this.reportedSettings.add(problem);
      void showWarning(problem);
    }
    return config;
  }

  private fail(err: unknown): void {
    void showWarning(`Caption lint stopped: ${(err as Error).message}. Run "Lint Captions…" again.`);
  }

  dispose(): void {
    this.clear();
    for (const d of this.disposables) d.dispose();
  }
}

/** Open text documents of files, by path. */
function openDocuments(): Map<string, vscode.TextDocument> {
  return new Map(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => [d.uri.fsPath, d] as const));
}
