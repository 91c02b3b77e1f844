import * as path from 'node:path';
import * as vscode from 'vscode';
import { ensureSampleDataset } from '../core/sample/sampleDataset';
import type { ModelRegistry } from '../providers/modelRegistry';
import { showError } from '../services/notifications';

/** The walkthrough's id in package.json (`contributes.walkthroughs`). */
export const WALKTHROUGH_ID = 'imageCaptioner.gettingStarted';
/** Set once the walkthrough was shown on a first activation: it opens by itself only once. */
const SHOWN_KEY = 'imageCaptioner.walkthroughShown';
/** True once a model is chosen (the view's welcome and the walkthrough's model step read it). */
export const MODEL_CHOSEN_CONTEXT = 'imageCaptioner.modelChosen';

/** What "Open Sample Dataset" did: the folder it wrote and whether it had to write it. */
export interface SampleDatasetOpened {
  readonly folder: string;
  readonly outcome: 'created' | 'up to date';
}

/**
 * First run: the walkthrough (shown on the first activation, reachable from the palette and the
 * Dataset view), the sample dataset in the extension's global storage, and the "model chosen" context.
 */
export class GettingStarted implements vscode.Disposable {
  /** Opens a folder as the workspace (VS Code reloads the window); replaced by tests, which cannot survive a reload. */
  openFolder: (folder: vscode.Uri) => Thenable<unknown> = (folder) => vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: false });
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly registry: ModelRegistry,
  ) {
    this.subscriptions = [
      vscode.commands.registerCommand('imageCaptioner.getStarted', () => this.openWalkthrough()),
      vscode.commands.registerCommand('imageCaptioner.openSampleDataset', () => this.openSampleDataset()),
      registry.onDidChange(() => this.updateModelContext()),
    ];
    this.updateModelContext();
  }

  /** The sample's folder: the extension's own storage, never inside a user's folder. */
  get sampleFolder(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'sample-dataset');
  }

  /** Opens the walkthrough unless it was shown on an earlier activation; true when it opened now. */
  async showOnFirstActivation(): Promise<boolean> {
    if (this.context.globalState.get<boolean>(SHOWN_KEY)) return false;
    await this.context.globalState.update(SHOWN_KEY, true);
    await this.openWalkthrough();
    return true;
  }

  /** Forgets that the walkthrough was shown (tests; a user re-opens it from the palette instead). */
  resetFirstActivation(): Thenable<void> {
    return this.context.globalState.update(SHOWN_KEY, undefined);
  }

  openWalkthrough(): Thenable<unknown> {
    return vscode.commands.executeCommand('workbench.action.openWalkthrough', `${this.context.extension.id}#${WALKTHROUGH_ID}`, false);
  }

  /** Writes the sample dataset (again only when its version changed) and opens it as the workspace. */
  async openSampleDataset(): Promise<SampleDatasetOpened | undefined> {
    const folder = this.sampleFolder;
    let outcome: SampleDatasetOpened['outcome'];
    try {
      outcome = await ensureSampleDataset(folder);
    } catch (err) {
      void showError(vscode.l10n.t('The sample dataset could not be written to {0}: {1}', folder, (err as Error).message));
      return undefined;
    }
    const open = vscode.workspace.workspaceFolders?.some((f) => f.uri.scheme === 'file' && path.resolve(f.uri.fsPath) === path.resolve(folder));
    // already the workspace: reopening would only reload the window
    if (open) await vscode.commands.executeCommand('imageCaptioner.dataset.focus');
    else await this.openFolder(vscode.Uri.file(folder));
    return { folder, outcome };
  }

  private updateModelContext(): void {
    void vscode.commands.executeCommand('setContext', MODEL_CHOSEN_CONTEXT, Boolean(this.registry.selected()));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
