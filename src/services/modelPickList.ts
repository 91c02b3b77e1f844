import { isLoopback } from '../providers/keyDestinations';
import { ModelOrigin, originLabel } from '../providers/modelOrigin';
import type { KeySource, ModelEntry } from '../providers/types';
import { labelText } from './plainText';

/** What a model picker knows of one model. */
export interface ModelPickFacts {
  readonly model: ModelEntry;
  readonly origin: ModelOrigin;
  /** Where it runs, to group the catalogue ("NVIDIA NIM", "Local (this machine)"). */
  readonly service: string;
  readonly key: KeySource;
  /** The key's name as the user knows it ("NVIDIA (nvapi-…)"). */
  readonly keyLabel: string;
}

/** A row of the picker: a group heading or a model; texts already made inert for a quick pick. */
export type ModelPickRow =
  | { readonly kind: 'separator'; readonly label: string }
  | { readonly kind: 'model'; readonly model: ModelEntry; readonly label: string; readonly description: string; readonly detail: string };

/** Settings scopes, most specific first: the models a user set up for this folder come before their general ones. */
const SCOPE_ORDER: Readonly<Record<ModelOrigin['scope'], number>> = { folder: 0, workspace: 1, machine: 2, user: 3, catalog: 4 };

/**
 * The rows of a model picker: the selected model first, then the models from the user's settings
 * (most specific scope first), then the built-in catalogue by service. Each row says whether its key
 * is at hand or none is needed, so one Enter does not start a batch against a service the user has
 * no key for.
 */
export function modelPickRows(facts: readonly ModelPickFacts[], selectedId: string | undefined): ModelPickRow[] {
  const selected = facts.find((f) => f.model.id === selectedId);
  const others = facts.filter((f) => f !== selected);
  const configured = others.filter((f) => f.origin.scope !== 'catalog').sort((a, b) => SCOPE_ORDER[a.origin.scope] - SCOPE_ORDER[b.origin.scope]);
  const rows: ModelPickRow[] = [];
  if (selected) rows.push({ kind: 'separator', label: 'Selected' }, modelRow(selected, true));
  if (configured.length) rows.push({ kind: 'separator', label: 'Your models' }, ...configured.map((f) => modelRow(f, false)));
  const byService = new Map<string, ModelPickFacts[]>();
  for (const f of others) if (f.origin.scope === 'catalog') byService.set(f.service, [...(byService.get(f.service) ?? []), f]);
  for (const [service, group] of byService) rows.push({ kind: 'separator', label: labelText(service) }, ...group.map((f) => modelRow(f, false)));
  return rows;
}

function modelRow(facts: ModelPickFacts, isSelected: boolean): ModelPickRow {
  const { model, origin } = facts;
  const detail = [keyText(facts), origin.scope === 'catalog' ? undefined : `from ${originLabel(origin)}`, model.note].filter((part): part is string => Boolean(part));
  return {
    kind: 'model',
    model,
    label: `${isSelected ? '$(check) ' : ''}${labelText(model.label)}`,
    description: labelText(model.model ?? model.baseUrl ?? ''),
    detail: labelText(detail.join(' · ')),
  };
}

/** Whether the request can carry its key now, and where that key comes from. */
export function keyText({ model, key, keyLabel }: ModelPickFacts): string {
  switch (key.kind) {
    case 'not-needed':
      if (model.provider === 'local') return 'No key needed: runs on this machine';
      return model.baseUrl && isLoopback(model.baseUrl) ? 'No key needed: a server on this machine' : 'No key needed';
    case 'stored':
      return `Key stored (${keyLabel})`;
    case 'env':
      return `Key from ${key.variable}`;
    case 'missing':
      return `No key yet: asks for ${keyLabel} when used`;
  }
}
