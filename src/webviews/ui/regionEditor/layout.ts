/** The region editor's DOM: tool bar, the stage (image + overlay), the side list, help. Text is set with textContent only. */

export type ToolName = 'select' | 'rect' | 'polygon' | 'brush' | 'eraser' | 'segment';

export interface Layout {
  readonly stage: HTMLElement;
  readonly image: HTMLImageElement;
  readonly overlay: HTMLCanvasElement;
  readonly imageError: HTMLElement;
  readonly tools: Record<ToolName, HTMLButtonElement>;
  readonly brushSize: HTMLInputElement;
  readonly buttons: Record<'zoomIn' | 'zoomOut' | 'fit' | 'keep' | 'discard' | 'help' | 'describeAll' | 'fuse' | 'caption', HTMLButtonElement>;
  readonly problem: HTMLElement;
  readonly notice: HTMLElement;
  readonly list: HTMLElement;
  readonly fuseStatus: HTMLElement;
  readonly status: HTMLElement;
  readonly help: HTMLElement;
}

/** Keyboard shortcuts, listed in the help overlay (and the tool tips). */
export const SHORTCUTS: ReadonlyArray<readonly [string, string]> = [
  ['V', 'Select, move, resize (drag a handle)'],
  ['R', 'Rectangle: drag'],
  ['P', 'Polygon: click points; click the first point or Enter closes, Backspace removes the last'],
  ['B / E', 'Brush / eraser: paint a mask; Enter keeps it'],
  ['[ / ]', 'Brush smaller / larger'],
  ['S', 'Click to segment: the mask of a click becomes a region; more clicks refine it (Shift+click: not this), a drag gives a box; Enter starts the next object'],
  ['Escape', 'Cancel the shape being drawn'],
  ['Delete', 'Delete the selected region'],
  ['Ctrl+D', 'Duplicate the selected region'],
  ['+ / - / 0', 'Zoom in / out / fit (or the mouse wheel)'],
  ['Space+drag, middle drag', 'Pan'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'Undo / redo (VS Code)'],
  ['?', 'Show or hide this help'],
];

export function buildLayout(root: HTMLElement): Layout {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, parent?: HTMLElement): HTMLElementTagNameMap[K] => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    parent?.appendChild(node);
    return node;
  };
  const toolbar = el('div', 'toolbar', root);
  const button = (parent: HTMLElement, icon: string, label: string, id: string, text?: string): HTMLButtonElement => {
    const b = el('button', text ? 'text-button' : 'icon-button', parent);
    b.id = id;
    b.title = label;
    b.setAttribute('aria-label', label);
    if (icon) el('span', `codicon codicon-${icon}`, b);
    if (text) el('span', 'label', b).textContent = text;
    return b;
  };
  const tools: Record<ToolName, HTMLButtonElement> = {
    select: button(toolbar, 'move', 'Select and move (V)', 'tool-select'),
    rect: button(toolbar, 'primitive-square', 'Rectangle (R)', 'tool-rect'),
    polygon: button(toolbar, 'type-hierarchy', 'Polygon (P)', 'tool-polygon'),
    brush: button(toolbar, 'edit', 'Brush mask (B)', 'tool-brush'),
    eraser: button(toolbar, 'eraser', 'Eraser (E)', 'tool-eraser'),
    segment: button(toolbar, 'wand', 'Click to segment (S)', 'tool-segment'),
  };
  const brushSize = el('input', 'brush-size', toolbar);
  brushSize.type = 'range';
  brushSize.min = '2';
  brushSize.max = '200';
  brushSize.value = '24';
  brushSize.id = 'brush-size';
  brushSize.title = 'Brush size in screen pixels ([ and ])';
  el('span', 'separator', toolbar);
  const keep = button(toolbar, 'check', 'Keep the polygon or painted mask (Enter)', 'keep-shape', 'Keep');
  const discard = button(toolbar, 'close', 'Discard it (Escape)', 'discard-shape', 'Discard');
  el('span', 'separator', toolbar);
  const zoomIn = button(toolbar, 'zoom-in', 'Zoom in (+)', 'zoom-in');
  const zoomOut = button(toolbar, 'zoom-out', 'Zoom out (-)', 'zoom-out');
  const fit = button(toolbar, 'screen-normal', 'Fit (0)', 'fit');
  const help = button(toolbar, 'question', 'Keyboard shortcuts (?)', 'help-button');

  const main = el('div', 'main', root);
  const stage = el('div', 'stage', main);
  const image = el('img', 'image', stage);
  image.draggable = false;
  image.alt = '';
  const overlay = el('canvas', 'overlay', stage);
  overlay.id = 'overlay';
  const imageError = el('div', 'image-error', stage);
  imageError.hidden = true;

  const side = el('div', 'side', main);
  const problem = el('div', 'problem', side);
  problem.id = 'problem';
  problem.hidden = true;
  const notice = el('div', 'notice', side);
  notice.id = 'notice';
  notice.hidden = true;
  const actions = el('div', 'side-actions', side);
  const describeAll = button(actions, 'sparkle', 'Describe every region', 'describe-all', 'Describe All');
  const fuse = button(actions, 'merge', 'Weave the region descriptions into one caption (a candidate in the caption editor)', 'fuse', 'Fuse into Caption');
  const caption = button(actions, 'go-to-file', 'Open the caption editor of this image', 'open-caption', 'Caption');
  const fuseStatus = el('div', 'fuse-status', side);
  fuseStatus.id = 'fuse-status';
  const list = el('ol', 'region-list', side);
  list.id = 'region-list';

  const status = el('div', 'status', root);
  status.id = 'status';
  const helpOverlay = el('div', 'help', root);
  helpOverlay.id = 'help';
  helpOverlay.hidden = true;
  el('h2', undefined, helpOverlay).textContent = 'Keyboard shortcuts';
  const table = el('table', undefined, helpOverlay);
  for (const [keys, what] of SHORTCUTS) {
    const row = el('tr', undefined, table);
    el('th', undefined, row).textContent = keys;
    el('td', undefined, row).textContent = what;
  }
  return {
    stage, image, overlay, imageError, tools, brushSize, problem, notice, list, fuseStatus, status, help: helpOverlay,
    buttons: { zoomIn, zoomOut, fit, keep, discard, help, describeAll, fuse, caption },
  };
}
