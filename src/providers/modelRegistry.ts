import * as vscode from 'vscode';
import catalogJson from '../../models/catalog.json';
import { affectsModels, readUserModels } from '../generationSettings';
import { Catalog, resolveCatalog, serviceLabel } from './modelCatalog';
import type { ModelEntry } from './types';

const catalog = catalogJson as unknown as Catalog;
const SELECTED_KEY = 'imageCaptioner.selectedModel';

/** The models the user can pick: the built-in catalog plus `imageCaptioner.models`, kept current. */
export class ModelRegistry implements vscode.Disposable {
  private models: readonly ModelEntry[] = [];
  /** The catalogue's own models, before the user's settings: they define where each key belongs. */
  readonly builtIn: readonly ModelEntry[] = resolveCatalog(catalog).models;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly workspaceState: vscode.Memento,
    /** Told which entries of the user's models were skipped, and why, on each reload that skips some. */
    private readonly onProblems: (problems: readonly string[]) => void,
  ) {
    this.reload();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsModels(e)) this.reload();
    });
  }

  all(): readonly ModelEntry[] {
    return this.models;
  }

  find(id: string | undefined): ModelEntry | undefined {
    return id ? this.models.find((m) => m.id === id) : undefined;
  }

  /** The model remembered for this workspace, if it still exists. */
  selected(): ModelEntry | undefined {
    return this.find(this.workspaceState.get<string>(SELECTED_KEY));
  }

  async select(model: ModelEntry): Promise<void> {
    await this.workspaceState.update(SELECTED_KEY, model.id);
    this.changeEmitter.fire();
  }

  service(model: ModelEntry): string {
    return serviceLabel(model, catalog);
  }

  private reload(): void {
    const { models, problems } = resolveCatalog(catalog, readUserModels());
    this.models = models;
    if (problems.length > 0) this.onProblems(problems);
    this.changeEmitter.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
