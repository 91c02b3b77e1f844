import * as vscode from 'vscode';
import { ApiKeys } from '../providers/apiKeys';
import { KeyDestination, keyVerdict, type KeyVerdict, OwnOrigins } from '../providers/keyDestinations';
import type { ModelEntry } from '../providers/types';
import { showError, showWarning } from './notifications';

const APPROVED_KEY = 'imageCaptioner.approvedKeyDestinations';
const SEND = 'Send the Key There';

/**
 * Asks before a key goes to an origin that is not its service's own (a model entry from settings
 * may point anywhere), remembers each approved (key, origin) pair in global state, and refuses a
 * key over plain http to another machine.
 */
export class KeyDestinationGate {
  constructor(
    private readonly state: vscode.Memento,
    private readonly own: OwnOrigins,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** What may happen to `model`'s key now, without asking. */
  verdict(model: ModelEntry): KeyVerdict {
    return keyVerdict(model, this.own, (pair) => this.isApproved(pair));
  }

  /** True when `model`'s key may be sent where its requests go; asks (modal) for each origin not approved yet. */
  async allow(model: ModelEntry): Promise<boolean> {
    const verdict = this.verdict(model);
    switch (verdict.kind) {
      case 'no-key':
      case 'allowed':
        return true;
      case 'refused':
        this.log.warn(`${model.label}: the ${model.key} key was not sent over plain http to ${verdict.origin}`);
        void showError(
          `${model.label} would send the ${ApiKeys.label(model.key)} API key over plain http to ${verdict.origin}, where anyone on the network can read it; nothing was sent. ` +
            'Use an https:// base URL, a server on this machine (localhost), or "key": "none" for a server that needs no key.',
        );
        return false;
      case 'needs-approval':
        for (const origin of verdict.origins) if (!(await this.ask(model, origin))) return false;
        return true;
    }
  }

  /** The pairs the user approved, oldest first. */
  approved(): readonly KeyDestination[] {
    return this.state.get<KeyDestination[]>(APPROVED_KEY, []);
  }

  /** Lets `pair.key` go to `pair.origin` from now on. */
  async approve(pair: KeyDestination): Promise<void> {
    if (!this.isApproved(pair)) await this.state.update(APPROVED_KEY, [...this.approved(), { key: pair.key, origin: pair.origin }]);
  }

  /** Takes approvals back (all of them when none are named); returns how many were forgotten. */
  async forget(pairs?: readonly KeyDestination[]): Promise<number> {
    const before = this.approved();
    const kept = pairs ? before.filter((a) => !pairs.some((p) => p.key === a.key && p.origin === a.origin)) : [];
    await this.state.update(APPROVED_KEY, kept.length ? kept : undefined);
    return before.length - kept.length;
  }

  private isApproved(pair: KeyDestination): boolean {
    return this.approved().some((a) => a.key === pair.key && a.origin === pair.origin);
  }

  private async ask(model: ModelEntry, origin: string): Promise<boolean> {
    const home = [...(this.own.get(model.key) ?? [])];
    const belongs = home.length ? `This key belongs to ${home.join(', ')}.` : 'No built-in service uses this key.';
    const answer = await showWarning(
      `Send the ${ApiKeys.label(model.key)} API key to ${origin}?`,
      {
        modal: true,
        detail:
          `The model "${model.label}" (imageCaptioner.models) sends its requests there. ${belongs} ` +
          'Send it only to a server you trust with the key. The answer is remembered; "Image Captioner: Forget Approved API Key Destinations" takes it back.',
      },
      SEND,
    );
    if (answer !== SEND) {
      this.log.info(`${model.label}: sending the ${model.key} key to ${origin} was declined; nothing was sent`);
      return false;
    }
    await this.approve({ key: model.key, origin });
    this.log.info(`The ${model.key} key may now go to ${origin} (approved for ${model.label})`);
    return true;
  }
}
