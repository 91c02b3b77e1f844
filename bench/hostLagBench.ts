import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { startOpenAiFakeServer } from '../test/fixtures/fakeServers/openAiFakeServer';
import type { HostLagConfig, HostLagResult } from '../test/integration/bench/hostLag.bench';
import { runBenchSuite } from '../test/integration/launcher/runIntegration';
import { linkImages, writePhotos } from './batchThroughputBench';
import { hostLagEngine } from './hostLagEngine';
import { Benchmark, note } from './measure';

const IMAGES = 1000;
const DISTINCT = 4;
const LATENCY_MS = 200;
const CONCURRENCY = 16;
const MAX_SIDE = 1024;
const UNIT = ' ms p99 event-loop lag (beyond the 10 ms timer)';

/**
 * The extension host's event-loop delay (p99 beyond a 10 ms timer) in a real VS Code (the integration
 * harness's server and browser) while Caption Uncaptioned runs over a folder of 1,000 3000x2000 photos
 * shown in the dataset view: 1024-px requests to a fake server in this process (200 ms, 16 in flight),
 * progress, caption writes, watcher events and view refreshes. Second figure: the engine alone, in plain Node.
 */
export const hostLagBench: Benchmark = {
  name: 'host-lag',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-host-lag-'));
    const server = await startOpenAiFakeServer({ latencyMs: LATENCY_MS, keepBodies: 1 });
    try {
      const sources = await writePhotos(path.join(root, 'sources'), DISTINCT, 3000, 2000);
      const datasetDir = path.join(root, 'dataset');
      linkImages(sources, datasetDir, IMAGES);
      // BENCH_CPU_PROFILE=file.cpuprofile keeps a CPU profile of the extension host during the batch
      const cpuProfile = process.env.BENCH_CPU_PROFILE ? path.resolve(process.env.BENCH_CPU_PROFILE) : undefined;
      const config: HostLagConfig = { datasetDir, serverUrl: server.url, concurrency: CONCURRENCY, maxImageSide: MAX_SIDE, cpuProfile };
      const resultFile = path.join(root, 'result.json');
      const outcome = await runBenchSuite({ name: 'hostLag', resultFile, config: { ...config } });
      if (outcome.failed > 0 || outcome.passed !== 1) throw new Error('the host-lag suite failed in the extension host (its output is above)');
      const host = JSON.parse(readFileSync(resultFile, 'utf8')) as HostLagResult;
      const sent = server.requests.filter((r) => r.url.endsWith('/chat/completions'));
      if (sent.length !== IMAGES) throw new Error(`the server got ${sent.length} caption requests for ${IMAGES} images`);
      const longest = await longestSideOf(sent[0].body);
      if (longest !== MAX_SIDE) throw new Error(`the first request carried an image of longest side ${longest}, not ${MAX_SIDE}`);
      const kb = sent.reduce((sum, r) => sum + r.bodyBytes, 0) / sent.length / 1024;
      note(`extension host: ${host.images} images in ${(host.batchMs / 1000).toFixed(1)} s = ${((host.images * 1000) / host.batchMs).toFixed(1)} images/s ` +
        `(requests of ${kb.toFixed(0)} KB, ${MAX_SIDE} px, at most ${server.stats.maxInFlight} in flight); host CPU ${host.hostCpu.toFixed(2)} of ${os.cpus().length} cores; ` +
        `the view counted every caption ${host.viewCaughtUpMs.toFixed(0)} ms after the batch`);
      note(`extension host event-loop delay beyond the 10 ms timer: p50 ${host.p50.toFixed(2)} ms, p99 ${host.p99.toFixed(2)} ms, max ${host.max.toFixed(1)} ms (${host.samples} samples)`);
      const engine = await hostLagEngine.run();
      return [{ figure: host.p99, unit: UNIT, target: 50 }, engine];
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
};

/** The longest side of the image a chat-completions request body carries as a data URL. */
async function longestSideOf(body: { messages: { content: unknown }[] }): Promise<number> {
  const parts = body.messages.at(-1)?.content as { type: string; image_url?: { url: string } }[];
  const url = parts.find((p) => p.type === 'image_url')?.image_url?.url ?? '';
  const meta = await sharp(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64')).metadata();
  return Math.max(meta.width, meta.height);
}
