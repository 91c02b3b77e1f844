import * as vscode from 'vscode';
import catalogJson from '../../models/catalog.json';
import { affectsModels, readModelSettings } from '../generationSettings';
import { readDamSettings } from '../regionSettings';
import { Catalog, resolveCatalog, ResolvedCatalog, serviceLabel, withDamBaseUrl } from './modelCatalog';
import { CATALOG_ORIGIN, ModelOrigin } from './modelOrigin';
import type { ModelEntry } from './types';

const catalog = catalogJson as unknown as Catalog;
const SELECTED_KEY = 'imageCaptioner.selectedModel';

/** The models the user can pick: the built-in catalog plus `imageCaptioner.models` of every scope, kept current. */
export class ModelRegistry implements vscode.Disposable {
  private models: readonly ModelEntry[] = [];
  private origins: ReadonlyMap<string, ModelOrigin> = new Map();
  /** The catalogue as the settings adjust it (the DAM server's base URL). */
  private adjusted: Catalog = catalog;
  /** The catalogue's own models, before the user's settings: they define where each key belongs. */
  readonly builtIn: readonly ModelEntry[] = resolveCatalog(catalog).models;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly workspaceState: vscode.Memento,
    /** Told what each reload found: skipped entries (and why), entries that replaced others. */
    private readonly onReload: (resolved: ResolvedCatalog) => void,
  ) {
    this.reload();
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsModels(e)) this.reload();
      }),
      // the workspace's and folders' entries count once the folder is trusted; folders come and go
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reload()),
    ];
  }

  /** Every model: captioning and embedding ones. */
  all(): readonly ModelEntry[] {
    return this.models;
  }

  /** The models that caption (what the pickers offer): every entry but embedding models. */
  captionModels(): readonly ModelEntry[] {
    return this.models.filter((m) => !m.embedding);
  }

  /** The embedding models (entries with `embedding`), for the Explore panel's hosted sources. */
  embeddingModels(): readonly ModelEntry[] {
    return this.models.filter((m) => m.embedding);
  }

  /** Where the model's entry was written (the catalogue, or a settings scope). */
  origin(model: ModelEntry): ModelOrigin {
    return this.origins.get(model.id) ?? CATALOG_ORIGIN;
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
    return serviceLabel(model, this.adjusted);
  }

  private reload(): void {
    this.adjusted = withDamBaseUrl(catalog, readDamSettings().baseUrl);
    const resolved = resolveCatalog(this.adjusted, readModelSettings());
    this.models = resolved.models;
    this.origins = resolved.origins;
    this.onReload(resolved);
    this.changeEmitter.fire();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changeEmitter.dispose();
  }
}
