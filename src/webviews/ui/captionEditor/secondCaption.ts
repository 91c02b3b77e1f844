/** The second caption's field (imageCaptioner.secondCaption.extension): made when the host sends it, below the caption. */
import type { CaptionInfo, FromWebviewMessage, ToWebviewMessage } from '../../protocol/captionEditorMessages';
import type { VscodeTextarea } from './layout';

type SecondCaptionMessage = Extract<ToWebviewMessage, { type: 'secondCaption' | 'secondCaptionChanged' }>;

export class SecondCaptionField {
  private field?: { readonly label: HTMLElement; readonly warning: HTMLElement; readonly textarea: VscodeTextarea };

  /** `after`: the element the field follows (the caption's status line). */
  constructor(private readonly after: HTMLElement, private readonly send: (message: FromWebviewMessage) => void) {}

  handle(msg: SecondCaptionMessage): void {
    if (msg.type === 'secondCaption') {
      this.showInfo(msg.caption);
      this.setText(msg.caption.text);
    } else if (this.field) {
      this.setText(msg.text);
    }
  }

  private showInfo(info: CaptionInfo): void {
    const { label, warning, textarea } = this.field ?? this.build();
    label.textContent = `${info.fileName}${info.exists ? '' : ' (created when saved)'}`;
    textarea.readonly = !info.editable;
    textarea.placeholder = info.editable ? `Write the second caption of this image (saved to ${info.fileName})` : '';
    warning.hidden = !info.warning;
    warning.textContent = info.warning ?? '';
  }

  private build(): NonNullable<SecondCaptionField['field']> {
    const box = document.createElement('div');
    box.className = 'second-caption';
    const label = document.createElement('div');
    label.className = 'caption-file second-caption-file';
    const warning = document.createElement('div');
    warning.className = 'second-caption-warning';
    warning.hidden = true;
    const textarea = document.createElement('vscode-textarea') as VscodeTextarea;
    textarea.id = 'second-caption';
    textarea.setAttribute('resize', 'vertical');
    textarea.setAttribute('rows', '5');
    textarea.setAttribute('aria-label', 'Second caption');
    textarea.addEventListener('input', () => this.send({ type: 'editSecond', text: textarea.value }));
    box.append(label, warning, textarea);
    this.after.after(box);
    this.field = { label, warning, textarea };
    return this.field;
  }

  /** Replaces the text without moving the cursor more than the change requires. */
  private setText(text: string): void {
    const textarea = this.field?.textarea;
    if (!textarea || textarea.value === text) return;
    const inner = textarea.wrappedElement;
    const start = inner?.selectionStart ?? text.length;
    const end = inner?.selectionEnd ?? text.length;
    textarea.value = text;
    if (inner && document.activeElement === textarea) inner.setSelectionRange(Math.min(start, text.length), Math.min(end, text.length));
  }
}
