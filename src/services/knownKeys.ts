/**
 * Whether each API key is there, known without waiting (SecretStorage answers asynchronously), so
 * a picker can say at once that a hosted model lacks its key. Read again when a secret changes.
 */
import * as vscode from 'vscode';
import { ApiKeys } from '../providers/apiKeys';
import type { KeyName, ModelEntry } from '../providers/types';
import type { KeyDestinationGate } from './keyDestinationGate';

export class KnownKeys implements vscode.Disposable {
  private readonly present = new Map<KeyName, boolean>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly keys: ApiKeys,
    secrets: vscode.SecretStorage,
    private readonly gate: KeyDestinationGate,
  ) {
    this.subscription = secrets.onDidChange(() => void this.refresh([...this.present.keys()]));
  }

  /** Reads whether each key of `models` (or each name) is there now. */
  async refresh(models: Iterable<ModelEntry | KeyName>): Promise<void> {
    const names = new Set([...models].map((m) => (typeof m === 'string' ? m : m.key)).filter((name) => name !== 'none'));
    await Promise.all([...names].map(async (name) => this.present.set(name, (await this.keys.source(name)).kind !== 'missing')));
  }

  /** Why `model`'s requests cannot go out now: its key is missing, or would cross plain http. Undefined when not known to be a problem. */
  problem(model: ModelEntry): string | undefined {
    if (model.key === 'none') return undefined;
    const verdict = this.gate.verdict(model);
    if (verdict.kind === 'refused') return `Its ${ApiKeys.label(model.key)} API key would go over plain http to ${verdict.origin}: use an https:// base URL or a server on this machine.`;
    if (this.present.get(model.key) === false) return `No API key for ${ApiKeys.label(model.key)}: ${ApiKeys.howToProvide(model.key)}.`;
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
