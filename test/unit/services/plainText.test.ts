import { strict as assert } from 'node:assert';
import { clipText, inputMessageText, labelText, LABEL_MAX, notificationText, NOTIFICATION_MAX } from '../../../src/services/plainText';

// The grammars VS Code's workbench renders (1.139): a link `[label](target)` whose target starts with
// http(s)://, command: or file: (notifications, input box messages), and an icon `$(name)` or
// `$(name~modifier)` that a backslash right before it keeps literal (picks, status bar, input box messages).
const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)/gi;
const ICON = /(\\)?\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

function links(text: string): string[] {
  return [...text.matchAll(LINK)].map((m) => m[2]);
}

/** The icons VS Code would draw: matches without the escaping backslash. */
function icons(text: string): string[] {
  return [...text.matchAll(ICON)].filter((m) => !m[1]).map((m) => m[0]);
}

/** What the surface shows: word joiners are invisible; an escaped icon shows without its backslash. */
function shown(text: string): string {
  return text.replaceAll('\u2060', '').replace(ICON, (m, escaped: string | undefined) => (escaped ? m.slice(1) : `<icon ${m}>`));
}

const HOSTILE = [
  '[click me](command:workbench.action.quit).jpg',
  'a [x](https://evil.example/steal) b [y](file:///etc/passwd) c',
  '[[nested]](command:a)](command:b)',
  'Incorrect API key: [Set it here](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%22%7D "Fix")',
  '[a](COMMAND:upper.case)',
];

describe('plain text for VS Code surfaces', () => {
  it('the link grammar used here finds the links VS Code would render in the raw texts', () => {
    assert.deepEqual(links(HOSTILE[0]), ['command:workbench.action.quit']);
    assert.deepEqual(links(HOSTILE[1]), ['https://evil.example/steal', 'file:///etc/passwd']);
    assert.equal(links(HOSTILE[4]).length, 1);
  });

  it('a notification shows dataset and server text literally, with no link left to click', () => {
    for (const text of HOSTILE) {
      const out = notificationText(text);
      assert.deepEqual(links(out), [], out);
      assert.equal(shown(out), text, 'the reader sees exactly the original text');
    }
  });

  it('a notification keeps icons as they are (notifications draw none) and stays bounded', () => {
    assert.equal(notificationText('$(zap) image.jpg'), '$(zap) image.jpg');
    const long = `${'[a](command:x)'.repeat(200)}`;
    const out = notificationText(long);
    assert.ok(out.replaceAll('\u2060', '').length <= NOTIFICATION_MAX, `${out.length}`);
    assert.ok(out.endsWith('…'));
    assert.deepEqual(links(out), []);
  });

  it('a pick label shows `$(icon)` from data literally, and leaves `$(` that is no icon alone', () => {
    for (const [input, expected] of [
      ['$(zap) cat.jpg', '\\$(zap) cat.jpg'],
      ['$(sync~spin)', '\\$(sync~spin)'],
      ['price $(5 items)', 'price $(5 items)'],
      ['already \\$(x) escaped', 'already \\\\$(x) escaped'],
    ] as const) {
      const out = labelText(input);
      assert.equal(out, expected);
      assert.deepEqual(icons(out), [], out);
      assert.equal(shown(out), input);
    }
  });

  it('an input box message is free of both links and icons', () => {
    const text = 'Unterminated group near "[go](command:x) $(trash)"';
    const out = inputMessageText(text);
    assert.deepEqual(links(out), []);
    assert.deepEqual(icons(out), []);
    assert.equal(shown(out), text);
  });

  it('clips at a length, never inside a surrogate pair', () => {
    assert.equal(clipText('short', 10), 'short');
    assert.equal(clipText('abcdefghijk', 5), 'abcd…');
    const emoji = 'ab😀cd';
    assert.equal(clipText(emoji, 4), 'ab…', 'the pair 😀 is dropped whole');
    assert.equal(labelText('x'.repeat(1000)).length, LABEL_MAX);
  });
});
