/**
 * A tagger's candidate as chips, one per tag with its confidence (`long hair 0.92`); clicking a chip
 * drops that tag from the candidate. Tags come from a model's label file: they are set as text, never markup.
 */
import type { CandidateTag } from '../../protocol/captionEditorMessages';

/** Replaces `container`'s content with one chip per tag; `onDrop` is called with the tag of a clicked chip. */
export function renderTagChips(container: HTMLElement, tags: readonly CandidateTag[], onDrop: (tag: string) => void): void {
  const chips = tags.map((t) => {
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = 'tag-chip';
    chip.dataset.tag = t.tag;
    chip.title = `Drop "${t.tag}" (confidence ${formatScore(t.score)})`;
    const name = document.createElement('span');
    name.className = 'tag-chip-name';
    name.textContent = t.tag;
    const score = document.createElement('span');
    score.className = 'tag-chip-score';
    score.textContent = formatScore(t.score);
    chip.append(name, ' ', score);
    chip.addEventListener('click', () => {
      chip.disabled = true; // one click, one drop: the host answers with the candidate without it
      onDrop(t.tag);
    });
    return chip;
  });
  container.classList.add('tag-chips');
  container.replaceChildren(...chips);
  if (chips.length === 0) container.textContent = 'No tags left: discard the candidate, or generate again.';
}

/** A confidence as two decimals, as taggers' UIs show them. */
export function formatScore(score: number): string {
  return score.toFixed(2);
}
