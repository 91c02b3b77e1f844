/**
 * The word cloud of the gallery's group (a selection or a cluster) and its frequency table, with
 * the stop-word list editable. Counting runs in slices between frames (wordFrequencies.ts); a
 * newer group or stop-word list abandons the count in flight.
 */
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import type { WordCount } from '../../../core/analytics/wordCounts';
import { el } from './elements';
import { countWordsInSlices, formatStopWords, parseStopWords } from './wordFrequencies';
import { renderWordCloud } from './wordCloud';

/** What the pane asks of the panel. */
export interface WordPaneHandlers {
  /** The user edited the stop words (the host keeps them; the pane has recounted already). */
  stopWordsChanged(words: string[], text: string): void;
}

/** Rows of the frequency table (the cloud draws the most frequent 150 of them). */
export const TABLE_ROWS = 300;
/** Milliseconds of counting between frames. */
const SLICE_MS = 8;

/** A macrotask: input and rendering run before the next slice (setTimeout is clamped to 4 ms when nested). */
function pause(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

interface VscodeTextarea extends HTMLElement {
  value: string;
}

export class WordPane {
  private readonly canvas: HTMLCanvasElement;
  private readonly summary: HTMLElement;
  private readonly tableBody: HTMLTableSectionElement;
  private readonly stopField: VscodeTextarea;
  private stopWords: ReadonlySet<string>;
  private edited: boolean;
  private captions: readonly string[] = [];
  private indices: ArrayLike<number> | null = null;
  private abort: AbortController | undefined;
  /** Resolves when the latest count and cloud are done (tests and the bench wait on it). */
  done: Promise<void> = Promise.resolve();

  constructor(parent: HTMLElement, savedStopWords: string | null, private readonly handlers: WordPaneHandlers) {
    this.summary = el('div', 'word-summary', parent);
    this.summary.id = 'word-summary';
    this.canvas = el('canvas', 'word-cloud', parent);
    this.canvas.id = 'word-cloud';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Word cloud of the selected captions');
    const details = el('details', 'stop-words', parent);
    el('summary', undefined, details).textContent = 'Stop words';
    this.stopField = document.createElement('vscode-textarea') as VscodeTextarea;
    this.stopField.id = 'stop-words';
    this.stopField.setAttribute('rows', '4');
    this.stopField.setAttribute('resize', 'vertical');
    this.stopField.setAttribute('aria-label', 'Stop words, comma- or space-separated');
    details.appendChild(this.stopField);
    this.edited = savedStopWords !== null;
    this.stopWords = new Set(savedStopWords !== null ? parseStopWords(savedStopWords) : []);
    if (savedStopWords !== null) this.stopField.value = savedStopWords;
    const table = el('table', 'frequency-table', parent);
    table.id = 'frequency-table';
    const head = el('tr', undefined, el('thead', undefined, table));
    el('th', 'frequency-word', head).textContent = 'Word';
    el('th', 'frequency-count', head).textContent = 'Count';
    this.tableBody = el('tbody', undefined, table);
    this.stopField.addEventListener('change', () => {
      const words = parseStopWords(this.stopField.value);
      this.stopWords = new Set(words);
      this.edited = true;
      this.handlers.stopWordsChanged(words, this.stopField.value);
      this.recount();
    });
  }

  /** The host's stop words (`init`); ignored when the user's own list was restored. */
  setDefaultStopWords(words: readonly string[]): void {
    if (this.edited) return;
    this.stopWords = new Set(words.map((w) => w.toLowerCase()));
    this.stopField.value = formatStopWords(words);
    this.recount();
  }

  /** The group whose words are shown (null: none). `captions` is the panel's live array. */
  show(captions: readonly string[], indices: ArrayLike<number> | null): void {
    this.captions = captions;
    this.indices = indices;
    this.recount();
  }

  /** Counts again (a caption of the group changed, or the stop words did). */
  recount(): void {
    this.abort?.abort();
    const indices = this.indices;
    if (!indices || indices.length === 0) {
      this.summary.textContent = 'No group: select points or a cluster to see its words.';
      this.tableBody.replaceChildren();
      this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
      this.done = Promise.resolve();
      return;
    }
    const abort = (this.abort = new AbortController());
    this.summary.textContent = `Counting the words of ${indices.length.toLocaleString()} captions…`;
    this.done = countWordsInSlices(this.captions, indices, this.stopWords, TABLE_ROWS, { sliceMs: SLICE_MS, pause, now: () => performance.now(), signal: abort.signal })
      .then(async ({ table, distinct }) => {
        if (abort.signal.aborted) return;
        this.summary.textContent = `${distinct.toLocaleString()} distinct words in ${indices.length.toLocaleString()} captions${distinct > table.length ? ` (the ${table.length} most frequent listed)` : ''}`;
        this.fillTable(table);
        await renderWordCloud(this.canvas, table);
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        this.summary.textContent = `The word cloud could not be drawn: ${e instanceof Error ? e.message : String(e)}`;
      });
  }

  private fillTable(table: readonly WordCount[]): void {
    this.tableBody.replaceChildren(
      ...table.map((w) => {
        const row = el('tr', 'frequency-row');
        el('td', 'frequency-word', row).textContent = w.word;
        el('td', 'frequency-count', row).textContent = w.count.toLocaleString();
        return row;
      }),
    );
  }
}
