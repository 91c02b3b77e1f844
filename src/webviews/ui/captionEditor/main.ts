import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import { captionStats, CLIP_TOKEN_LIMIT } from '../../../core/dataset/captionStats';
import type { CaptionInfo, DatasetPosition, FromWebviewMessage, ImageInfo, ToWebviewMessage } from '../../protocol/captionEditorMessages';
import { ImageViewport, ZoomState } from './imageViewport';
import { buildLayout, Layout } from './layout';
import { GenerationPanel } from './generationPanel';
import { TagAutocomplete } from '../tagAutocomplete';
import { SecondCaptionField } from './secondCaption';
import { TagRuleNotes } from './tagRuleNotes';
import { installCurationKeys, RatingStars } from './ratingStars';

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
interface SavedState {
  readonly zoom?: ZoomState;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const layout: Layout = buildLayout(document.getElementById('app')!);
const viewport = new ImageViewport(layout.imageArea, layout.image, (zoom) => vscode.setState({ zoom }));
let image: ImageInfo | undefined;
let position: DatasetPosition | undefined;
let caption: CaptionInfo | undefined;

const send = (message: FromWebviewMessage): void => vscode.postMessage(message);
const generation = new GenerationPanel(layout.generationArea, send);
const autocomplete = new TagAutocomplete(layout.caption, () => layout.caption.wrappedElement, layout.caption.parentElement!, (id, typed) => send({ type: 'completeTag', id, typed }), () => layout.caption.dispatchEvent(new Event('input')));
const secondCaption = new SecondCaptionField(layout.statusCaption, send);
const tagRuleNotes = new TagRuleNotes(layout.statusCaption.parentElement!, layout.statusCaption, (index, message) => send({ type: 'fixTagRule', index, message }));
const ratingStars = new RatingStars(layout.buttons.previous.parentElement!, send);
installCurationKeys(send);

layout.caption.addEventListener('input', () => {
  send({ type: 'edit', text: layout.caption.value });
  renderStatus();
});
layout.buttons.previous.addEventListener('click', () => send({ type: 'navigate', move: 'previous' }));
layout.buttons.next.addEventListener('click', () => send({ type: 'navigate', move: 'next' }));
layout.buttons.nextUncaptioned.addEventListener('click', () => send({ type: 'navigate', move: 'nextUncaptioned' }));
layout.buttons.openAsText.addEventListener('click', () => send({ type: 'openCaptionAsText' }));
layout.buttons.editRegions.addEventListener('click', () => send({ type: 'editRegions' }));
layout.buttons.fit.addEventListener('click', () => viewport.fit());
layout.buttons.actualSize.addEventListener('click', () => viewport.actualSize());
layout.buttons.zoomIn.addEventListener('click', () => viewport.zoomBy(1.25));
layout.buttons.zoomOut.addEventListener('click', () => viewport.zoomBy(0.8));
layout.renameButton.addEventListener('click', () => send({ type: 'renameImage' }));

window.addEventListener('message', (event: MessageEvent<ToWebviewMessage>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      image = msg.image;
      position = msg.position;
      showImage(msg.image);
      showCaptionInfo(msg.caption);
      setCaptionText(msg.caption.text);
      layout.caption.focus();
      break;
    case 'captionChanged':
      setCaptionText(msg.text);
      break;
    case 'captionInfo':
      showCaptionInfo(msg.caption);
      break;
    case 'position':
      position = msg.position;
      break;
    case 'models':
      generation.showModels(msg.models, msg.selected, msg.canSend);
      return;
    case 'candidate':
      generation.showCandidate(msg.candidate);
      return;
    case 'candidateRemoved':
      generation.removeCandidate(msg.id);
      return;
    case 'tagSuggestions':
      autocomplete.show(msg.id, msg.suggestions);
      return;
    case 'tagRuleNotes':
      tagRuleNotes.show(msg.notes);
      return;
    case 'secondCaption':
    case 'secondCaptionChanged':
      secondCaption.handle(msg);
      return;
    case 'rating':
      ratingStars.show(msg.stars);
      return;
  }
  renderStatus();
});

function showImage(info: ImageInfo): void {
  layout.imageError.textContent = info.error ?? '';
  layout.imageError.hidden = !info.error;
  layout.image.hidden = !info.src;
  layout.image.alt = info.fileName;
  if (info.src) layout.image.src = info.src;
  else layout.image.removeAttribute('src');
  viewport.restore(vscode.getState()?.zoom);
}

function showCaptionInfo(info: CaptionInfo): void {
  caption = info;
  layout.caption.readonly = !info.editable;
  layout.caption.placeholder = info.editable ? `Write the caption of this image (saved to ${info.fileName})` : '';
  layout.warning.hidden = !info.warning;
  layout.warningText.textContent = info.warning ?? '';
  layout.renameButton.hidden = !info.warning?.includes('Rename');
}

/** Replaces the text without moving the cursor more than the change requires. */
function setCaptionText(text: string): void {
  if (layout.caption.value === text) return;
  const inner = layout.caption.wrappedElement as HTMLTextAreaElement | undefined;
  const start = inner?.selectionStart ?? text.length;
  const end = inner?.selectionEnd ?? text.length;
  layout.caption.value = text;
  if (inner && document.activeElement === layout.caption) inner.setSelectionRange(Math.min(start, text.length), Math.min(end, text.length));
}

function renderStatus(): void {
  const stats = captionStats(layout.caption.value);
  const parts: string[] = [];
  if (position && position.index > 0) parts.push(`${position.index} of ${position.total}`);
  if (image) {
    parts.push(image.relativePath);
    if (image.width && image.height) parts.push(`${image.width}×${image.height} px`);
    parts.push(formatBytes(image.fileSize));
  }
  layout.statusImage.textContent = parts.join('  ·  ');
  layout.statusCaption.textContent = `${stats.characters} chars  ·  ${stats.words} words  ·  ~${stats.clipTokens}/${CLIP_TOKEN_LIMIT} CLIP tokens`;
  layout.statusCaption.classList.toggle('over-limit', stats.clipTokens > CLIP_TOKEN_LIMIT);
  layout.statusCaption.title = stats.clipTokens > CLIP_TOKEN_LIMIT ? 'CLIP text encoders truncate after 75 tokens: the end of this caption is not seen by them.' : '';
  layout.captionFile.textContent = caption ? `${caption.fileName}${caption.exists ? '' : ' (created when saved)'}` : '';
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

send({ type: 'ready' });
