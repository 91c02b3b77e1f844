/**
 * The evaluation report panel: the run's facts, each model's numbers under both BLEU conventions,
 * a bar chart of the main metrics, every image side by side with each model's caption, and the
 * gender check; exports go to the host. The report file shown is kept in the webview's state, so a
 * reload (or a restart) restores the same report.
 */
import type { EvaluationReport } from '../../../core/evaluation/evaluationReport';
import type { EvaluationViewState, FromEvaluationWebview, ImageSort, ToEvaluationWebview } from '../../protocol/evaluationMessages';
import { el } from '../explore/elements';
import { renderBiasSection } from './biasSection';
import { ImageList } from './imageList';
import { validSort } from './imageOrder';
import { MetricChart } from './metricChart';
import { headerFacts } from './reportText';
import { renderSummaryTable } from './summaryTable';

interface VsCodeApi {
  postMessage(message: FromEvaluationWebview): void;
  getState(): unknown;
  setState(state: EvaluationViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const send = (message: FromEvaluationWebview): void => vscode.postMessage(message);
const saved = vscode.getState();
let state: EvaluationViewState = saved && typeof saved === 'object' ? (saved as EvaluationViewState) : {};
const save = (patch: Partial<EvaluationViewState>): void => {
  state = { ...state, ...patch };
  vscode.setState(state);
};

const app = document.getElementById('app')!;
const toolbar = el('div', 'toolbar', app);
const title = el('h1', 'title', toolbar);
title.textContent = 'Evaluation report';
const exportButton = (label: string, id: string, what: () => void): void => {
  const b = el('button', undefined, toolbar);
  b.id = id;
  b.textContent = label;
  b.addEventListener('click', what);
};
exportButton('Export CSV (per image)', 'export-images-csv', () => send({ type: 'export', what: 'imagesCsv' }));
exportButton('Export CSV (summary)', 'export-summary-csv', () => send({ type: 'export', what: 'summaryCsv' }));
exportButton('Export JSON', 'export-json', () => send({ type: 'export', what: 'json' }));
exportButton('Export Chart PNG', 'export-chart', () => void exportChart());
const status = el('div', 'status-line', app);
status.id = 'status';
status.setAttribute('role', 'status');
const scroller = el('div', 'scroller', app);
const header = el('dl', 'report-header', scroller);
header.id = 'report-header';
el('h2', undefined, scroller).textContent = 'Models';
const summary = el('div', 'summary', scroller);
summary.id = 'summary';
const chartPane = el('div', 'chart', scroller);
chartPane.id = 'chart';
const chart = new MetricChart(chartPane);
el('h2', undefined, scroller).textContent = 'Images side by side';
const imagesPane = el('div', 'images', scroller);
imagesPane.id = 'images';
const images = new ImageList(imagesPane, {
  useCaption: (path, modelId) => send({ type: 'useCaption', path, modelId }),
  open: (path) => send({ type: 'openImage', path }),
  changed: (sort: ImageSort, page: number) => save({ sort, page }),
});
el('h2', undefined, scroller).textContent = 'Gender check';
const bias = el('div', 'bias', scroller);
bias.id = 'bias';

window.addEventListener('message', (event: MessageEvent<ToEvaluationWebview>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'report':
      show(msg.report, msg.reportFile, msg.imageBase, msg.readOnly);
      break;
    case 'captionUsed':
      images.useResult(msg.path, msg.modelId, { kind: 'used' });
      break;
    case 'captionUseFailed':
      images.useResult(msg.path, msg.modelId, { kind: 'failed', error: msg.error });
      break;
    case 'status':
      showStatus(msg.message, false);
      break;
    case 'error':
      showStatus(msg.message, true);
      break;
  }
});

function show(report: EvaluationReport, reportFile: string, imageBase: string, readOnly: string | undefined): void {
  const sameReport = state.reportFile === reportFile;
  save({ reportFile });
  title.textContent = `Evaluation report · ${report.models.map((m) => m.label).join(' vs ')}`;
  header.replaceChildren();
  for (const [label, value] of headerFacts(report)) {
    el('dt', undefined, header).textContent = label;
    el('dd', undefined, header).textContent = value;
  }
  if (report.referenceCounts.unreadable.length) {
    el('dt', undefined, header).textContent = 'Unreadable references';
    const dd = el('dd', undefined, header);
    const list = el('ul', 'unreadable', dd);
    for (const u of report.referenceCounts.unreadable) el('li', undefined, list).textContent = `${u.path}: ${u.reason}`;
  }
  if (readOnly) {
    el('dt', undefined, header).textContent = 'Use this caption';
    el('dd', undefined, header).textContent = readOnly;
  }
  renderSummaryTable(summary, report.models);
  const modelIds = report.models.map((m) => m.modelId);
  images.setReport(report, imageBase, readOnly, sameReport ? validSort(state.sort, modelIds) : validSort(undefined, modelIds), sameReport ? (state.page ?? 0) : 0);
  renderBiasSection(bias, report.models, (path) => send({ type: 'openImage', path }));
  showStatus('', false);
  void chart.show(report.models).catch((e: unknown) => showStatus(`The chart could not be drawn: ${e instanceof Error ? e.message : String(e)}`, true));
}

async function exportChart(): Promise<void> {
  try {
    send({ type: 'exportChart', png: await chart.png() });
  } catch (e) {
    showStatus(`The chart could not be drawn as PNG: ${e instanceof Error ? e.message : String(e)}`, true);
  }
}

function showStatus(message: string, error: boolean): void {
  status.textContent = message;
  status.classList.toggle('error', error);
}

send({ type: 'ready' });
