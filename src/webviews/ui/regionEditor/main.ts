import type { FromRegionWebviewMessage, RegionImageInfo, RegionsState, ServiceAvailability, ToRegionWebviewMessage } from '../../protocol/regionEditorMessages';
import { buildLayout, ToolName } from './layout';
import { OverlayRenderer } from './overlay';
import { RequestClient, RequestFailed } from './requestClient';
import { RegionStatus, SideList } from './sideList';
import { DrawingTools, stripUpdated } from './tools';
import { isTyping, Viewport } from './viewport';

interface VsCodeApi {
  postMessage(message: FromRegionWebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const send = (message: FromRegionWebviewMessage): void => vscode.postMessage(message);
const layout = buildLayout(document.getElementById('app')!);
const requests = new RequestClient(send);

let state: RegionsState = { regions: [], fileName: '', exists: false, editable: false };
let available: ServiceAvailability = {};
let selected: string | undefined;
const statuses = new Map<string, RegionStatus>();
/** The describe request running for each region, to cancel it. */
const describing = new Map<string, string>();
let segmentRequest: string | undefined;
/** Regions sent to the host and not yet in its state: a state posted before the host saw them must not drop their selection. */
const adding = new Map<string, number>();
const ADD_ANSWER_MS = 3000;
let fuseRequest: string | undefined;

let frame = 0;
/** Redraws at most once per animation frame, however many pointer events arrive. */
function redraw(): void {
  frame ||= requestAnimationFrame(() => {
    frame = 0;
    overlay.render(tools.scene());
  });
}

const viewport = new Viewport(layout.stage, layout.image, redraw);
const overlay = new OverlayRenderer(layout.overlay, viewport);
const tools = new DrawingTools({
  regions: () => state.regions,
  known: (id) => adding.has(id) || state.regions.some((r) => r.id === id),
  editable: () => state.editable,
  selected: () => selected,
  select: (id) => {
    selected = id;
    renderList();
  },
  add: (regions) => {
    for (const r of regions) adding.set(r.id, Date.now());
    send({ type: 'addRegions', regions });
  },
  update: (region) => send({ type: 'updateRegion', region }),
  segment: (prompt) => {
    if (available.segment) return showNotice(available.segment);
    if (segmentRequest) requests.cancel(segmentRequest);
    const { id, answer } = requests.request({ kind: 'segment', prompt });
    segmentRequest = id;
    setStatus('Segmenting…');
    answer.then(
      (reply) => {
        if (segmentRequest !== id) return;
        segmentRequest = undefined;
        tools.showSegment(reply);
        setStatus(`Mask from ${reply.model} (score ${reply.score.toFixed(2)}, ${Math.round(reply.millis)} ms): more clicks refine it (Shift: not this), Enter starts the next object.`);
      },
      (err: RequestFailed) => {
        if (segmentRequest === id) segmentRequest = undefined;
        if (!err.cancelled) showNotice(`Segmentation failed: ${err.message}`);
      },
    );
  },
  redraw,
  notice: (text) => showNotice(text),
}, viewport, layout.stage);

const list = new SideList(layout.list, {
  select: (id) => {
    selected = id;
    renderList();
    redraw();
  },
  edit: (id, patch) => {
    const region = state.regions.find((r) => r.id === id);
    if (region) send({ type: 'updateRegion', region: { ...stripUpdated(region), ...patch }, typing: true });
  },
  describe: (id) => describe(id),
  cancelDescribe: (id) => {
    const requestId = describing.get(id);
    if (requestId) requests.cancel(requestId);
  },
  remove: (id) => send({ type: 'deleteRegions', ids: [id] }),
});

for (const [name, button] of Object.entries(layout.tools) as Array<[ToolName, HTMLButtonElement]>) button.addEventListener('click', () => selectTool(name));
layout.brushSize.addEventListener('input', () => {
  tools.brushSize = Number(layout.brushSize.value);
});
layout.buttons.zoomIn.addEventListener('click', () => viewport.zoomAt(1.25));
layout.buttons.zoomOut.addEventListener('click', () => viewport.zoomAt(0.8));
layout.buttons.fit.addEventListener('click', () => viewport.fit());
layout.buttons.keep.addEventListener('click', () => tools.keep());
layout.buttons.discard.addEventListener('click', () => tools.discard());
layout.buttons.help.addEventListener('click', () => toggleHelp());
layout.buttons.describeAll.addEventListener('click', () => {
  for (const region of state.regions) if (!describing.has(region.id)) describe(region.id);
});
layout.buttons.fuse.addEventListener('click', () => fuse());
layout.buttons.caption.addEventListener('click', () => send({ type: 'openCaptionEditor' }));
layout.image.addEventListener('load', () => viewport.setImageSize(layout.image.naturalWidth, layout.image.naturalHeight));

const TOOL_KEYS: Record<string, ToolName> = { v: 'select', r: 'rect', p: 'polygon', b: 'brush', e: 'eraser', s: 'segment' };

window.addEventListener('keydown', (e) => {
  if (isTyping(e)) return;
  const key = e.key;
  if ((e.ctrlKey || e.metaKey) && key.toLowerCase() === 'd') {
    e.preventDefault();
    const region = state.regions.find((r) => r.id === selected);
    if (region && state.editable) tools.duplicate(region);
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (TOOL_KEYS[key.toLowerCase()]) selectTool(TOOL_KEYS[key.toLowerCase()]);
  else if (key === 'Enter') tools.keep();
  else if (key === 'Escape') {
    if (!layout.help.hidden) toggleHelp();
    else if (tools.hasPending) tools.discard();
    else {
      selected = undefined;
      renderList();
      redraw();
    }
  } else if (key === 'Backspace' && tools.undoPoint()) e.preventDefault();
  else if ((key === 'Delete' || key === 'Backspace') && selected && state.editable) send({ type: 'deleteRegions', ids: [selected] });
  else if (key === '+' || key === '=') viewport.zoomAt(1.25);
  else if (key === '-') viewport.zoomAt(0.8);
  else if (key === '0') viewport.fit();
  else if (key === '?') toggleHelp();
  else if (key === '[' || key === ']') {
    tools.brushSize = Math.max(2, Math.min(200, tools.brushSize * (key === ']' ? 1.25 : 0.8)));
    layout.brushSize.value = String(Math.round(tools.brushSize));
    redraw();
  } else return;
  e.preventDefault();
});

window.addEventListener('message', (event: MessageEvent<ToRegionWebviewMessage>) => {
  const msg = event.data;
  if (requests.handle(msg)) return;
  switch (msg.type) {
    case 'init':
      available = msg.availability;
      showImage(msg.image);
      showState(msg.state);
      showAvailability();
      return;
    case 'regions':
      showState(msg.state);
      return;
    case 'availability':
      available = msg.availability;
      showAvailability();
      return;
    case 'notice':
      showNotice(msg.message);
      return;
  }
});

function selectTool(tool: ToolName): void {
  if (tool === 'segment' && available.segment) showNotice(available.segment);
  tools.setTool(tool);
  for (const [name, button] of Object.entries(layout.tools)) button.classList.toggle('active', name === tool);
  layout.brushSize.hidden = tool !== 'brush' && tool !== 'eraser';
}

function showImage(info: RegionImageInfo): void {
  layout.imageError.hidden = !info.error;
  layout.imageError.textContent = info.error ?? '';
  layout.image.hidden = !info.src;
  layout.image.alt = info.fileName;
  if (info.src) layout.image.src = info.src;
  // the overlay can draw before the image has decoded: the header's size is enough
  if (info.width && info.height) viewport.setImageSize(info.width, info.height);
}

function showState(next: RegionsState): void {
  state = next;
  for (const [id, sent] of adding) if (state.regions.some((r) => r.id === id) || Date.now() - sent > ADD_ANSWER_MS) adding.delete(id);
  if (selected && !adding.has(selected) && !state.regions.some((r) => r.id === selected)) selected = undefined;
  for (const id of statuses.keys()) if (!state.regions.some((r) => r.id === id)) statuses.delete(id);
  const problem = next.problem;
  layout.problem.hidden = !problem;
  layout.problem.textContent = problem
    ? `${next.fileName}${problem.line !== undefined ? ` (line ${problem.line}, column ${problem.column})` : ''}: ${problem.message}. The file is shown read-only and is not changed here; fix it in a text editor.`
    : '';
  document.body.classList.toggle('read-only', !next.editable);
  setStatus(`${next.regions.length} region${next.regions.length === 1 ? '' : 's'}  ·  ${next.fileName}${next.exists ? '' : ' (created when saved)'}`);
  renderList();
  redraw();
}

function showAvailability(): void {
  layout.buttons.describeAll.disabled = !!available.describe;
  layout.buttons.describeAll.title = available.describe ?? 'Describe every region';
  layout.buttons.fuse.disabled = !!available.fuse;
  layout.buttons.fuse.title = available.fuse ?? 'Weave the region descriptions into one caption (a candidate in the caption editor)';
  layout.tools.segment.title = available.segment ?? 'Click to segment (S)';
  layout.tools.segment.classList.toggle('unavailable', !!available.segment);
  renderList();
}

function renderList(): void {
  list.render(state.regions, selected, statuses, state.editable, !available.describe);
}

function describe(regionId: string): void {
  if (available.describe) return showNotice(available.describe);
  let streamed = '';
  const { id, answer } = requests.request({ kind: 'describe', regionId }, (text) => {
    streamed += text;
    statuses.set(regionId, { state: 'streaming', text: streamed });
    renderList();
  });
  describing.set(regionId, id);
  statuses.set(regionId, { state: 'streaming', text: 'Describing…' });
  renderList();
  answer.then(
    () => statuses.delete(regionId),
    (err: RequestFailed) => {
      if (err.cancelled) statuses.delete(regionId);
      else statuses.set(regionId, { state: 'error', text: err.message });
    },
  ).finally(() => {
    if (describing.get(regionId) === id) describing.delete(regionId);
    renderList();
  });
}

function fuse(): void {
  if (available.fuse) return showNotice(available.fuse);
  if (fuseRequest) {
    requests.cancel(fuseRequest);
    return;
  }
  let streamed = '';
  const { id, answer } = requests.request({ kind: 'fuse' }, (text) => {
    streamed += text;
    layout.fuseStatus.textContent = streamed;
  });
  fuseRequest = id;
  layout.buttons.fuse.classList.add('running');
  layout.fuseStatus.className = 'fuse-status streaming';
  layout.fuseStatus.textContent = 'Fusing the region descriptions…';
  answer.then(
    (reply) => {
      layout.fuseStatus.className = 'fuse-status';
      layout.fuseStatus.textContent = `Offered in the caption editor (${reply.model}): Replace, Append or Discard it there.`;
    },
    (err: RequestFailed) => {
      layout.fuseStatus.className = `fuse-status ${err.cancelled ? '' : 'error'}`;
      layout.fuseStatus.textContent = err.cancelled ? 'Fusing cancelled.' : `Fuse failed: ${err.message}`;
    },
  ).finally(() => {
    fuseRequest = undefined;
    layout.buttons.fuse.classList.remove('running');
  });
}

function toggleHelp(): void {
  layout.help.hidden = !layout.help.hidden;
}

function setStatus(text: string): void {
  layout.status.textContent = text;
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
function showNotice(text: string): void {
  layout.notice.textContent = text;
  layout.notice.hidden = false;
  if (noticeTimer) clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    layout.notice.hidden = true;
  }, 8000);
}

selectTool('select');
send({ type: 'ready' });
