/**
 * The tag completion thread: parsing and indexing a 100,000-row booru tag list takes seconds, so it
 * happens here, off the extension host, and so does every keystroke's ranking (the index lives
 * here). Bundled as dist/tagCompleteWorker.js; tests start its transpiled twin in out/.
 */
import { parentPort } from 'node:worker_threads';
import { parseBooruTagList } from './booruTagList';
import type { FromTagCompleteThread, ToTagCompleteThread } from './tagCompleteProtocol';
import { listIndex, TagCompleter } from './tagCompletion';
import type { TagCount } from './tagCounts';
import { TagNameIndex } from './tagNameIndex';

const port = parentPort!;
let list: TagNameIndex | undefined;
let datasetTags: readonly TagCount[] = [];
/** Rebuilt when the list or the dataset's tags change, on the first question after. */
let completer: TagCompleter | undefined;

port.on('message', (message: ToTagCompleteThread) => {
  try {
    switch (message.kind) {
      case 'list': {
        list = undefined;
        completer = undefined;
        if (!message.bytes) return post({ kind: 'listIndexed', id: message.id, tags: 0, skipped: 0 });
        const parsed = parseBooruTagList(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength).toString('utf8'), message.file);
        list = listIndex(parsed.tags);
        return post({ kind: 'listIndexed', id: message.id, tags: parsed.tags.length, skipped: parsed.skipped, firstSkippedLine: parsed.firstSkippedLine });
      }
      case 'dataset':
        datasetTags = message.tags;
        completer = undefined;
        return;
      case 'complete':
        completer ??= new TagCompleter(datasetTags, list);
        return post({ kind: 'suggestions', id: message.id, suggestions: completer.complete(message.typed, message.limit, new Set(message.exclude)) });
    }
  } catch (err) {
    if (message.kind !== 'dataset') post({ kind: 'failed', id: message.id, message: err instanceof Error ? err.message : String(err) });
  }
});

function post(message: FromTagCompleteThread): void {
  port.postMessage(message);
}
