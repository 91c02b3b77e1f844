import { ResponseError } from 'vscode-jsonrpc';
import { WorkerErrorCodes, type WorkerErrorKind } from './protocol';

const CODES: Record<WorkerErrorKind, number> = {
  'model-missing': WorkerErrorCodes.modelMissing,
  'bad-input': WorkerErrorCodes.badInput,
  'out-of-memory': WorkerErrorCodes.outOfMemory,
  failed: WorkerErrorCodes.failed,
};

/** A failure the worker reports as a JSON-RPC error with `data: { kind }`. */
export function workerError(kind: WorkerErrorKind, message: string): ResponseError<{ kind: WorkerErrorKind }> {
  return new ResponseError(CODES[kind], message, { kind });
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** onnxruntime reports allocation failures in its own words; they become `out-of-memory`. */
export function isOutOfMemory(error: unknown): boolean {
  return /failed to allocate|out of memory|bad_alloc|cannot allocate/i.test(messageOf(error));
}
