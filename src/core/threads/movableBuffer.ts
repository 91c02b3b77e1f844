/**
 * What a message to a worker thread may move rather than copy: the buffer under a view, only when the
 * view covers all of it (a view of part of Node's pooled Buffer memory must be copied, or the rest of
 * the pool would move with it) and it is not shared memory.
 */
export function movableBuffer(view: ArrayBufferView | undefined): ArrayBuffer[] {
  if (!view || !(view.buffer instanceof ArrayBuffer)) return [];
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? [view.buffer] : [];
}
