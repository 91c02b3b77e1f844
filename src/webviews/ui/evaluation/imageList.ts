/**
 * The per-image side-by-side view: thumbnail, references and each model's caption with its scores,
 * sorted by path, a model's metric or the models' disagreement, one page of rows at a time (5,000
 * images stay a few dozen rows in the DOM). "Use this caption" and a click on the image go to the
 * host. Text from the report goes in with textContent only.
 */
import type { EvaluationImage, EvaluationReport } from '../../../core/evaluation/evaluationReport';
import type { ImageMetric, ImageSort } from '../../protocol/evaluationMessages';
import { el } from '../explore/elements';
import { imageSrc } from '../explore/imageSrc';
import { disagreement, orderImages, pageRange } from './imageOrder';
import { fixed, score4 } from './reportText';

export interface ImageListHandlers {
  useCaption(path: string, modelId: string): void;
  open(path: string): void;
  /** The sort or page changed (kept in the webview's state). */
  changed(sort: ImageSort, page: number): void;
}

/** Where a "Use this caption" stands for one image and model. */
type UseState = { readonly kind: 'saving' } | { readonly kind: 'used' } | { readonly kind: 'failed'; readonly error: string };

const METRIC_LABELS: Readonly<Record<ImageMetric, string>> = { bleu4: 'BLEU-4 (COCO)', ciderD: 'CIDEr-D', clip: 'CLIP' };

export class ImageList {
  private report?: EvaluationReport;
  private imageBase = '';
  private readOnly?: string;
  private order: number[] = [];
  private sort: ImageSort = { kind: 'path', descending: false };
  private page = 0;
  private readonly uses = new Map<string, UseState>();
  private readonly sortSelect: HTMLSelectElement;
  private readonly descending: HTMLInputElement;
  private readonly pageLabel: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private readonly rows: HTMLElement;

  constructor(parent: HTMLElement, private readonly handlers: ImageListHandlers) {
    const bar = el('div', 'image-bar', parent);
    const sortLabel = el('label', 'control', bar);
    el('span', 'control-label', sortLabel).textContent = 'Sort by';
    this.sortSelect = el('select', undefined, sortLabel);
    this.sortSelect.id = 'image-sort';
    const descLabel = el('label', 'control inline', bar);
    this.descending = el('input', undefined, descLabel);
    this.descending.type = 'checkbox';
    this.descending.id = 'image-sort-descending';
    el('span', undefined, descLabel).textContent = 'Descending';
    this.prev = el('button', 'pager', bar);
    this.prev.id = 'page-prev';
    this.prev.textContent = '‹ Previous';
    this.pageLabel = el('span', 'page-label', bar);
    this.pageLabel.id = 'page-label';
    this.next = el('button', 'pager', bar);
    this.next.id = 'page-next';
    this.next.textContent = 'Next ›';
    this.rows = el('div', 'image-rows', parent);
    this.rows.id = 'image-rows';
    this.sortSelect.addEventListener('change', () => this.setSort(this.sortFromControls(), 0));
    this.descending.addEventListener('change', () => this.setSort(this.sortFromControls(), 0));
    this.prev.addEventListener('click', () => this.setSort(this.sort, this.page - 1));
    this.next.addEventListener('click', () => this.setSort(this.sort, this.page + 1));
  }

  /** Shows a report, in `sort` order at `page` (both from the saved state). */
  setReport(report: EvaluationReport, imageBase: string, readOnly: string | undefined, sort: ImageSort, page: number): void {
    this.report = report;
    this.imageBase = imageBase;
    this.readOnly = readOnly;
    this.uses.clear();
    const options: Array<[string, string]> = [['path', 'Path'], ['disagreement', 'Disagreement (spread of the models\' CIDEr-D)']];
    report.models.forEach((m, i) => {
      const metrics: ImageMetric[] = report.clipModel ? ['bleu4', 'ciderD', 'clip'] : ['bleu4', 'ciderD'];
      for (const metric of metrics) options.push([`m:${i}:${metric}`, `${m.label}: ${METRIC_LABELS[metric]}`]);
    });
    this.sortSelect.replaceChildren(
      ...options.map(([value, label]) => {
        const o = document.createElement('option');
        o.value = value;
        o.textContent = label;
        return o;
      }),
    );
    this.setSort(sort, page);
  }

  /** A "Use this caption" finished (state undefined: forget it). */
  useResult(path: string, modelId: string, state: UseState | undefined): void {
    const key = useKey(path, modelId);
    if (state) this.uses.set(key, state);
    else this.uses.delete(key);
    this.render();
  }

  private sortFromControls(): ImageSort {
    const value = this.sortSelect.value;
    const descending = this.descending.checked;
    if (value === 'path' || value === 'disagreement') return { kind: value, descending };
    const [, index, metric] = value.split(':');
    const model = this.report?.models[Number(index)];
    return model ? { kind: 'metric', modelId: model.modelId, metric: metric as ImageMetric, descending } : { kind: 'path', descending };
  }

  private setSort(sort: ImageSort, page: number): void {
    const report = this.report;
    if (!report) return;
    const modelIds = report.models.map((m) => m.modelId);
    if (JSON.stringify(sort) !== JSON.stringify(this.sort) || this.order.length !== report.images.length) this.order = orderImages(report.images, modelIds, sort);
    this.sort = sort;
    this.page = pageRange(this.order.length, page).page;
    this.sortSelect.value = sort.kind === 'metric' ? `m:${modelIds.indexOf(sort.modelId)}:${sort.metric}` : sort.kind;
    this.descending.checked = sort.descending;
    this.handlers.changed(this.sort, this.page);
    this.render();
  }

  private render(): void {
    const report = this.report;
    if (!report) return;
    const { start, end, pages } = pageRange(this.order.length, this.page);
    this.pageLabel.textContent = `Images ${this.order.length ? start + 1 : 0}–${end} of ${this.order.length.toLocaleString('en-US')} · page ${this.page + 1} of ${pages}`;
    this.prev.disabled = this.page === 0;
    this.next.disabled = this.page >= pages - 1;
    const modelIds = report.models.map((m) => m.modelId);
    this.rows.replaceChildren(...this.order.slice(start, end).map((i) => this.row(report, report.images[i], modelIds)));
    this.rows.scrollTop = 0;
  }

  private row(report: EvaluationReport, image: EvaluationImage, modelIds: readonly string[]): HTMLElement {
    const row = el('div', 'image-row');
    row.dataset.path = image.path;
    const left = el('div', 'image-cell', row);
    const thumb = el('img', 'thumb', left);
    thumb.loading = 'lazy';
    thumb.alt = image.path;
    thumb.src = imageSrc(this.imageBase, image.path);
    thumb.title = 'Open the image and its caption';
    thumb.addEventListener('click', () => this.handlers.open(image.path));
    const name = el('a', 'image-path', left);
    name.href = '#';
    name.textContent = image.path;
    name.addEventListener('click', (e) => {
      e.preventDefault();
      this.handlers.open(image.path);
    });
    const spread = disagreement(image, modelIds);
    if (spread !== undefined) el('div', 'spread', left).textContent = `CIDEr-D spread ${score4(spread)}`;
    const refs = el('ol', 'references', left);
    for (const r of image.references) el('li', undefined, refs).textContent = r;
    for (const model of report.models) row.appendChild(this.modelCell(image, model.modelId, model.label));
    return row;
  }

  private modelCell(image: EvaluationImage, modelId: string, label: string): HTMLElement {
    const cell = el('div', 'model-cell');
    cell.dataset.model = modelId;
    el('div', 'model-label', cell).textContent = label;
    const caption = image.captions[modelId];
    const text = el('div', 'caption', cell);
    if (caption?.text !== undefined) text.textContent = caption.text || '(empty caption)';
    else {
      text.classList.add('failed');
      text.textContent = caption?.error ? `No caption: ${caption.error}` : 'Not run';
    }
    const s = image.scores[modelId];
    if (s) {
      const scores = el('div', 'scores', cell);
      const part = (metric: string, name: string, value: string): void => {
        const span = el('span', 'score', scores);
        span.dataset.metric = metric;
        span.textContent = `${name} ${value}`;
      };
      part('bleu4', 'BLEU-4 (COCO)', score4(s.cocoBleu[3]));
      part('ciderD', 'CIDEr-D', score4(s.ciderD));
      if (s.clipScore !== undefined) part('clip', 'CLIP', fixed(s.clipScore, 2));
    }
    if (caption?.text !== undefined) {
      const use = el('button', 'use-caption', cell);
      use.textContent = 'Use this caption';
      const state = this.uses.get(useKey(image.path, modelId));
      use.disabled = !!this.readOnly || state?.kind === 'saving';
      use.title = this.readOnly ?? 'Write this caption to the image\'s caption file (one undo step in its editor)';
      use.addEventListener('click', () => {
        this.uses.set(useKey(image.path, modelId), { kind: 'saving' });
        use.disabled = true;
        this.handlers.useCaption(image.path, modelId);
      });
      if (state && state.kind !== 'saving') {
        const note = el('div', state.kind === 'used' ? 'use-note' : 'use-note error', cell);
        note.textContent = state.kind === 'used' ? 'Written to the caption file.' : state.error;
      }
    }
    return cell;
  }
}

function useKey(path: string, modelId: string): string {
  return `${modelId}\u0000${path}`;
}
