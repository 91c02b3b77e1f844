/** The caption editor's DOM: toolbar, image pane, caption pane and status line. Text is set with textContent only. */

export interface VscodeTextarea extends HTMLElement {
  value: string;
  readonly: boolean;
  placeholder: string;
  readonly wrappedElement?: HTMLTextAreaElement;
}

export interface Layout {
  readonly imageArea: HTMLElement;
  readonly image: HTMLImageElement;
  readonly imageError: HTMLElement;
  readonly caption: VscodeTextarea;
  readonly captionFile: HTMLElement;
  readonly warning: HTMLElement;
  readonly warningText: HTMLElement;
  readonly renameButton: HTMLElement;
  readonly statusImage: HTMLElement;
  readonly statusCaption: HTMLElement;
  readonly generationArea: HTMLElement;
  readonly buttons: Record<'previous' | 'next' | 'nextUncaptioned' | 'openAsText' | 'editRegions' | 'fit' | 'actualSize' | 'zoomIn' | 'zoomOut', HTMLElement>;
}

export function buildLayout(root: HTMLElement): Layout {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, parent?: HTMLElement): HTMLElementTagNameMap[K] => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    parent?.appendChild(node);
    return node;
  };
  const toolbar = el('div', 'toolbar', root);
  const button = (icon: string, label: string, id: string): HTMLElement => {
    const b = document.createElement('vscode-toolbar-button');
    b.setAttribute('icon', icon);
    b.setAttribute('label', label);
    b.title = label;
    b.id = id;
    toolbar.appendChild(b);
    return b;
  };
  const buttons = {
    previous: button('arrow-left', 'Previous image (Alt+Left)', 'previous'),
    next: button('arrow-right', 'Next image (Alt+Right)', 'next'),
    nextUncaptioned: button('debug-step-over', 'Next uncaptioned image (Alt+Shift+Right)', 'next-uncaptioned'),
    fit: button('screen-normal', 'Fit image', 'fit'),
    actualSize: button('screen-full', 'Actual size (100%)', 'actual-size'),
    zoomIn: button('zoom-in', 'Zoom in (Ctrl+wheel)', 'zoom-in'),
    zoomOut: button('zoom-out', 'Zoom out', 'zoom-out'),
    openAsText: button('go-to-file', 'Open the caption file as text', 'open-as-text'),
    editRegions: button('symbol-namespace', 'Edit regions of this image…', 'edit-regions'),
  };
  const main = el('div', 'main', root);
  const imageArea = el('div', 'image-area', main);
  // Focusable, and focused by a click: keys pressed after clicking the image (0-5 rate, Delete trashes)
  // are for the image, not for the caption that had focus before (an image is not focusable itself).
  imageArea.tabIndex = 0;
  imageArea.setAttribute('aria-label', 'Image (keys 0-5 rate it, Delete moves it to the trash)');
  imageArea.addEventListener('pointerdown', () => imageArea.focus({ preventScroll: true }));
  const image = el('img', 'image', imageArea);
  image.draggable = false;
  const imageError = el('div', 'image-error', imageArea);
  imageError.hidden = true;
  const pane = el('div', 'caption-pane', main);
  const warning = el('div', 'warning', pane);
  warning.hidden = true;
  const warningText = el('span', 'warning-text', warning);
  const renameButton = el('button', 'rename', warning);
  renameButton.textContent = 'Rename Image…';
  const captionFile = el('div', 'caption-file', pane);
  const caption = document.createElement('vscode-textarea') as VscodeTextarea;
  caption.id = 'caption';
  caption.setAttribute('resize', 'vertical');
  caption.setAttribute('rows', '10');
  caption.setAttribute('aria-label', 'Caption');
  pane.appendChild(caption);
  const statusCaption = el('div', 'status-caption', pane);
  const generationArea = el('div', 'generation-area', pane);
  const status = el('div', 'status', root);
  const statusImage = el('span', 'status-image', status);
  return { imageArea, image, imageError, caption, captionFile, warning, warningText, renameButton, statusImage, statusCaption, generationArea, buttons };
}
