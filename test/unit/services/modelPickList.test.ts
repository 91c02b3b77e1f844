import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Catalog, resolveCatalog, serviceLabel } from '../../../src/providers/modelCatalog';
import type { KeySource, ModelEntry } from '../../../src/providers/types';
import { ModelPickFacts, modelPickRows } from '../../../src/services/modelPickList';

// out/test/unit/services -> repository root
const catalog = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../models/catalog.json'), 'utf8')) as Catalog;

/** The real catalogue plus a user's entries from two scopes, with the keys a machine might have. */
function facts(keys: Readonly<Record<string, KeySource>>): ModelPickFacts[] {
  const { models, origins } = resolveCatalog(catalog, [
    { origin: { scope: 'user' }, value: [{ id: 'mine/box', label: 'GPU box', provider: 'openai-compatible', baseUrl: 'https://gpu-box:8000/v1', model: 'qwen', key: 'gpu-box' }] },
    { origin: { scope: 'machine' }, value: [{ id: 'mine/ollama', label: 'LLaVA here', preset: 'ollama', model: 'llava' }] },
  ]);
  return models.map((model: ModelEntry) => ({
    model,
    origin: origins.get(model.id)!,
    service: serviceLabel(model, catalog),
    key: model.key === 'none' ? { kind: 'not-needed' } : keys[model.key] ?? { kind: 'missing' },
    keyLabel: `${model.key} key`,
  }));
}

const rows = (selected?: string, keys: Readonly<Record<string, KeySource>> = {}) => modelPickRows(facts(keys), selected);
const modelRows = (selected?: string, keys?: Readonly<Record<string, KeySource>>) => rows(selected, keys).flatMap((r) => (r.kind === 'model' ? [r] : []));

describe('the model picker\'s rows', () => {
  it('offers the selected model first, then the user\'s own models (most specific scope first), then the catalogue by service', () => {
    const all = rows('openai/gpt-4o');
    const headings = all.flatMap((r) => (r.kind === 'separator' ? [r.label] : []));
    assert.deepEqual(headings.slice(0, 3), ['Selected', 'Your models', 'NVIDIA NIM']);
    const ids = all.flatMap((r) => (r.kind === 'model' ? [r.model.id] : []));
    assert.deepEqual(ids.slice(0, 4), ['openai/gpt-4o', 'mine/ollama', 'mine/box', 'nim/llama-3.1-nemotron-nano-vl-8b']);
    assert.equal(ids.filter((id) => id === 'openai/gpt-4o').length, 1, 'the selected model is not offered twice');
    assert.equal(ids.length, catalog.models.length + 2, 'every model is offered');
    assert.match(all[1].kind === 'model' ? all[1].label : '', /^\$\(check\) GPT-4o$/);
  });

  it('with no model selected, the user\'s own model comes first: one Enter never picks a built-in one over it', () => {
    const all = rows(undefined);
    assert.deepEqual(all.slice(0, 2).map((r) => (r.kind === 'separator' ? `# ${r.label}` : r.model.id)), ['# Your models', 'mine/ollama']);
  });

  it('says which models have their key (stored or from the environment), which need none, and which have none yet', () => {
    const detail = (id: string, keys?: Readonly<Record<string, KeySource>>) => modelRows(undefined, keys).find((r) => r.model.id === id)!.detail;
    const keys: Record<string, KeySource> = { nvidia: { kind: 'env', variable: 'NVIDIA_API_KEY' }, openai: { kind: 'stored' } };
    assert.equal(detail('nim/llama-3.2-11b-vision', keys), 'Key from NVIDIA_API_KEY');
    assert.equal(detail('openai/gpt-4o', keys), 'Key stored (openai key)');
    assert.equal(detail('hf/gemma-3-12b-it', keys), 'No key yet: asks for huggingface key when used');
    assert.equal(detail('local/florence-2-base'), 'No key needed: runs on this machine');
    assert.equal(detail('ollama/gemma3'), 'No key needed: a server on this machine');
    assert.equal(detail('mine/ollama'), 'No key needed: a server on this machine · from Remote machine settings');
    assert.equal(detail('mine/box'), 'No key yet: asks for gpu-box key when used · from User settings');
    assert.match(detail('nim/kosmos-2', keys), /^Key from NVIDIA_API_KEY · Kosmos-2 was removed/);
  });

  it('shows text from settings literally: a label or note with `$(icon)` is no icon', () => {
    const entry: ModelEntry = { ...facts({})[0].model, id: 'x', label: '$(warning) mine', note: 'see $(link)' };
    const [heading, row] = modelPickRows([{ model: entry, origin: { scope: 'folder', folder: '$(zap)' }, service: 's', key: { kind: 'stored' }, keyLabel: 'k' }], undefined);
    assert.deepEqual(heading, { kind: 'separator', label: 'Your models' });
    assert.equal(row.kind === 'model' && row.label, '\\$(warning) mine');
    assert.equal(row.kind === 'model' && row.detail, 'Key stored (k) · from Folder settings of \\$(zap) · see \\$(link)');
  });
});
