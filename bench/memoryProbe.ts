/** Memory readings shared by the child processes of the memory benchmarks (run with --expose-gc). */

/** Two full collections, so that what remains is what is really held. */
export function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the memory probe with node --expose-gc');
  gc();
  gc();
}

/** JavaScript heap plus the Buffers and native memory it owns. */
export function heapAndExternal(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}
