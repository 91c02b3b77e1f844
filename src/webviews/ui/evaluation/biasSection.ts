/** The gender check per model: its counts and each mismatch, openable. Text goes in with textContent only. */
import type { ModelSummary } from '../../../core/evaluation/evaluationReport';
import { el } from '../explore/elements';
import { biasText } from './reportText';

/** Renders the bias section; `open(path)` opens a mismatch's image. */
export function renderBiasSection(parent: HTMLElement, models: readonly ModelSummary[], open: (path: string) => void): void {
  const blocks = models.map((m) => {
    const block = el('section', 'bias-model');
    block.dataset.model = m.modelId;
    const b = m.bias;
    el('h3', undefined, block).textContent = `${m.label}: ${biasText(b)}`;
    el('p', 'bias-counts', block).textContent =
      `${b.gendered} gendered images: ${b.correct} right, ${b.neutral} naming no gender, ${b.misclassified} naming another (${b.namedBoth} of them both).`;
    if (b.mismatches.length === 0) return block;
    const table = el('table', 'bias-table', block);
    const head = el('tr', undefined, el('thead', undefined, table));
    for (const h of ['Image', 'References say', 'Caption says', 'Wrong words']) el('th', undefined, head).textContent = h;
    const body = el('tbody', undefined, table);
    for (const x of b.mismatches) {
      const tr = el('tr', undefined, body);
      const link = el('a', 'open-image', el('td', undefined, tr));
      link.href = '#';
      link.textContent = x.path;
      link.addEventListener('click', (e) => {
        e.preventDefault();
        open(x.path);
      });
      el('td', undefined, tr).textContent = x.expected;
      el('td', undefined, tr).textContent = x.named;
      el('td', undefined, tr).textContent = x.wrongWords.join(', ');
    }
    return block;
  });
  parent.replaceChildren(...blocks);
}
