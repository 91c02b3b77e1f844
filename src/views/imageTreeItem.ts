import * as vscode from 'vscode';
import { DatasetIndex } from '../core/dataset/datasetIndex';
import { CaptionTexts } from '../core/dataset/captionTexts';
import { ImageEntry } from '../core/dataset/types';
import { collisionText } from '../core/dataset/collisionText';

/** The tree row of one image: its state as an icon, its stars (★N) and the caption's first words as description. */
export function imageTreeItem(
  image: ImageEntry,
  index: DatasetIndex,
  texts: CaptionTexts | undefined,
  imageProblem: string | undefined,
  descriptionLength: number,
  rating = 0,
): vscode.TreeItem {
  const item = new vscode.TreeItem(image.name, vscode.TreeItemCollapsibleState.None);
  item.id = `image:${index.relativePath(index.imagePath(image))}`;
  item.resourceUri = vscode.Uri.file(index.imagePath(image));
  const caption = texts?.get(image) ?? '';
  const state = imageProblem ? 'unreadable' : displayState(image);
  item.contextValue = image.collision ? 'image.collision' : 'image';
  item.iconPath = STATE_ICONS[state];
  const stars = rating > 0 ? `★${rating}` : '';
  const text = descriptionLength > 0 && caption.trim() ? preview(caption, descriptionLength) : '';
  if (stars || text) item.description = stars && text ? `${stars} ${text}` : stars || text;
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(`${image.name} — ${STATE_LABELS[state]}${rating > 0 ? ` — ${'★'.repeat(rating)}` : ''}\n\n`);
  if (image.collision) tooltip.appendText(`${collisionText(index, image)} Rename one of them (right-click → Rename Image…).\n\n`);
  for (const problem of [imageProblem, texts?.error(image)]) if (problem) tooltip.appendText(`${problem}\n\n`);
  if (caption.trim()) tooltip.appendText(caption.length > 600 ? `${caption.slice(0, 600)}…` : caption);
  item.tooltip = tooltip;
  return item;
}

type DisplayState = 'captioned' | 'empty' | 'collision' | 'unreadable' | 'loading';

function displayState(image: ImageEntry): DisplayState {
  if (image.collision) return 'collision';
  switch (image.captionState) {
    case 'text':
      return 'captioned';
    case 'unreadable':
      return 'unreadable';
    case 'unknown':
      return 'loading';
    default:
      return 'empty';
  }
}

const STATE_ICONS: Record<DisplayState, vscode.ThemeIcon> = {
  captioned: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  empty: new vscode.ThemeIcon('circle-large-outline'),
  collision: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  unreadable: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  loading: new vscode.ThemeIcon('circle-small'),
};

const STATE_LABELS: Record<DisplayState, string> = {
  captioned: 'captioned',
  empty: 'no caption yet',
  collision: 'caption file shared with another image',
  unreadable: 'cannot be read',
  loading: 'caption not read yet',
};

function preview(caption: string, max: number): string {
  const oneLine = caption.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
