// The V8 sampling profiler of the extension host a bench suite runs in (where its time goes).
import { Session } from 'node:inspector/promises';

/** The V8 sampling profiler of this extension host, started now. */
export async function startProfiler(): Promise<{ stop(): Promise<unknown> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}
