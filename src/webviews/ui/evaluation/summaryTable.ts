/** The per-model summary table of the report panel. Text from the report goes in with textContent only. */
import type { ModelSummary } from '../../../core/evaluation/evaluationReport';
import { el } from '../explore/elements';
import { biasText, fixed, score4 } from './reportText';

/** The table's columns: id (a stable data-metric for tests), header, tooltip and cell text. */
const COLUMNS: ReadonlyArray<{ readonly id: string; readonly header: string; readonly title: string; readonly text: (m: ModelSummary) => string }> = [
  { id: 'cocoBleu1', header: 'BLEU-1', title: 'pycocoevalcap corpus BLEU-1 (the COCO caption evaluation)', text: (m) => score4(m.cocoBleu?.[0]) },
  { id: 'cocoBleu2', header: 'BLEU-2', title: 'pycocoevalcap corpus BLEU-2', text: (m) => score4(m.cocoBleu?.[1]) },
  { id: 'cocoBleu3', header: 'BLEU-3', title: 'pycocoevalcap corpus BLEU-3', text: (m) => score4(m.cocoBleu?.[2]) },
  { id: 'cocoBleu4', header: 'BLEU-4', title: 'pycocoevalcap corpus BLEU-4', text: (m) => score4(m.cocoBleu?.[3]) },
  { id: 'nltkBleu4', header: 'BLEU-4 (NLTK)', title: 'NLTK corpus_bleu BLEU-4, uniform weights: the second convention', text: (m) => score4(m.nltkCorpusBleu?.[3]) },
  { id: 'ciderD', header: 'CIDEr-D', title: 'pycocoevalcap CIDEr-D (mean of the images\')', text: (m) => score4(m.ciderD) },
  { id: 'clip', header: 'CLIP', title: 'Mean CLIP score (100 × cosine) of the captioned images', text: (m) => (m.clipScore === undefined ? 'no CLIP model' : fixed(m.clipScore, 2)) },
  { id: 'words', header: 'Words', title: 'Mean caption length in words', text: (m) => fixed(m.meanWords, 1) },
  { id: 'ms', header: 'ms / image', title: 'Median request time per captioned image', text: (m) => fixed(m.msPerImage, 0) },
  { id: 'scored', header: 'Scored', title: 'Images with a caption and references', text: (m) => String(m.scored) },
  { id: 'failed', header: 'Failed', title: 'Images the model gave no caption for (failed, or not run)', text: (m) => String(m.failed) },
  { id: 'empty', header: 'Empty', title: 'Scored captions with no words (each scores 0)', text: (m) => String(m.emptyCaptions) },
  { id: 'bias', header: 'Gender mismatch', title: 'Of the images whose references name one gender, the captions naming another', text: (m) => biasText(m.bias) },
];

/** Renders the summary of `models` into `parent` (replacing what was there). */
export function renderSummaryTable(parent: HTMLElement, models: readonly ModelSummary[]): void {
  const table = el('table', 'summary-table');
  const head = el('thead', undefined, table);
  const groups = el('tr', undefined, head);
  el('th', undefined, groups);
  const coco = el('th', 'group', groups);
  coco.colSpan = 4;
  coco.textContent = 'COCO convention (pycocoevalcap)';
  const rest = el('th', 'group', groups);
  rest.colSpan = COLUMNS.length - 4;
  const headers = el('tr', undefined, head);
  el('th', undefined, headers).textContent = 'Model';
  for (const c of COLUMNS) {
    const th = el('th', undefined, headers);
    th.textContent = c.header;
    th.title = c.title;
  }
  const body = el('tbody', undefined, table);
  for (const m of models) {
    const tr = el('tr', undefined, body);
    tr.dataset.model = m.modelId;
    const name = el('th', 'model-name', tr);
    name.textContent = m.label;
    name.title = m.modelId;
    for (const c of COLUMNS) {
      const td = el('td', 'num', tr);
      td.dataset.metric = c.id;
      td.textContent = c.text(m);
    }
  }
  parent.replaceChildren(table);
}
