// CLIP score in a real VS Code: the tiny CLIP model scores the sample's `objects` folder through the
// worker; low-scoring pairs are moved aside into clip_failed/ and back, byte for byte.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ClipScoreViewState } from '../../src/commands/clipScoreCommands';
import type { ClipScoreResult } from '../../src/core/embeddings/clipScore';
import type { MoveOutcome } from '../../src/core/embeddings/pairMoves';
import { writeTinyModels } from '../fixtures/localModels/tinyModels';
import { activateExtension, closeAllEditors, openCaptionEditor, waitFor } from './extensionApi';
import { note } from './index';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const scoreOf = (r: ClipScoreResult): number => ('score' in r ? r.score : Number.NaN);

describe('CLIP score', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;
  let modelsRoot: string;
  let objects: string;
  let failedRoot: string;

  before(async () => {
    api = await activateExtension();
    modelsRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-clip-'));
    const models = await writeTinyModels(modelsRoot);
    await vscode.workspace.getConfiguration('imageCaptioner.local').update('clipModel', models.clip, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('imageCaptioner.local').update('allowDownloads', false, vscode.ConfigurationTarget.Global);
    objects = path.join(api.dataset.rootPath!, 'objects');
    failedRoot = path.join(api.dataset.rootPath!, 'clip_failed');
  });

  after(async () => {
    await closeAllEditors();
    await vscode.workspace.getConfiguration('imageCaptioner.local').update('clipModel', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('imageCaptioner.local').update('allowDownloads', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('imageCaptioner.clipScore').update('threshold', undefined, vscode.ConfigurationTarget.Global);
    // Undo leaves the emptied destination folders behind (and a failed test may leave files): later suites expect the sample as it was.
    if (api && fs.existsSync(failedRoot)) {
      for (const file of filesUnder(failedRoot)) {
        const original = path.join(api.dataset.rootPath!, path.relative(failedRoot, file));
        if (!fs.existsSync(original)) fs.renameSync(file, original);
      }
      fs.rmSync(failedRoot, { recursive: true, force: true });
      await waitFor(() => !api.dataset.index!.folderOfPath(failedRoot), 'clip_failed gone from the index');
    }
    await api?.localModels.client.stop();
    fs.rmSync(modelsRoot, { recursive: true, force: true });
  });

  let state: ClipScoreViewState;

  it('scores every captioned image of a folder, skips uncaptioned ones, and lists them lowest first', async () => {
    state = (await vscode.commands.executeCommand<ClipScoreViewState>('imageCaptioner.clipScore.run', vscode.Uri.file(objects)))!;
    const run = state.run!;
    note(`CLIP scores: ${run.results.map((r) => `${path.basename(r.imagePath)}=${'score' in r ? r.score.toFixed(1) : r.error}`).join(', ')}`);
    const index = api.dataset.index!;
    const inFolder = index.images().filter((img) => index.imagePath(img).startsWith(objects + path.sep));
    const captioned = inFolder.filter((img) => fs.existsSync(index.captionPath(img)) && fs.readFileSync(index.captionPath(img), 'utf8').trim());
    assert.ok(captioned.length >= 4 && captioned.length < inFolder.length, 'the folder has captioned and uncaptioned images');
    assert.equal(run.results.length, captioned.length);
    assert.equal(run.skipped, inFolder.length - captioned.length);
    for (const result of run.results) {
      assert.ok('score' in result, `${result.imagePath} scored`);
      assert.ok(result.score >= 0 && result.score <= 100, `${result.score} in [0, 100]`);
    }
    const ball = run.results.find((r) => r.imagePath.endsWith(`${path.sep}ball.png`))!;
    assert.ok(scoreOf(ball) > 15, `"A shiny red ball." fits the red ball (${scoreOf(ball)})`);

    const below = run.results.filter((r) => scoreOf(r) < 15).length;
    assert.equal(state.title, `${run.results.length} scored, ${below} below 15`);
    const descriptions = state.items.map((item) => Number(item.description));
    assert.deepEqual(descriptions, [...descriptions].sort((a, b) => a - b), 'ascending by score');
    assert.ok(state.items.every((item) => /^\d+\.\d$/.test(String(item.description))));
    for (const item of state.items) {
      const flagged = Number(item.description) < 15;
      assert.equal((item.iconPath as vscode.ThemeIcon).id, flagged ? 'warning' : 'file-media', String(item.label));
      assert.equal(item.command?.command, 'vscode.openWith');
    }
  });

  it('sorts the view by name and back by score', async () => {
    const byName = (await vscode.commands.executeCommand<ClipScoreViewState>('imageCaptioner.clipScore.sortByName'))!;
    const labels = byName.items.map((item) => String(item.label));
    assert.deepEqual(labels, [...labels].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    assert.ok(labels.includes('objects/ball.png'));
    const byScore = (await vscode.commands.executeCommand<ClipScoreViewState>('imageCaptioner.clipScore.sortByScore'))!;
    assert.deepEqual(byScore.items.map((item) => item.label), state.items.map((item) => item.label));
  });

  it('shows the score of the image in the caption editor', async () => {
    const index = api.dataset.index!;
    const ball = index.findImage(path.join(objects, 'ball.png'))!;
    await openCaptionEditor(api, ball);
    const result = await vscode.commands.executeCommand<ClipScoreResult>('imageCaptioner.clipScore.current');
    const expected = state.run!.results.find((r) => r.imagePath === index.imagePath(ball))!;
    assert.ok(result && Math.abs(scoreOf(result) - scoreOf(expected)) < 1e-6, 'the same score as the folder run');
    await closeAllEditors();
  });

  it('moves the low-scoring pairs into clip_failed/ and the undo puts every byte back', async () => {
    const scores = state.run!.results.map(scoreOf).sort((a, b) => a - b);
    // A threshold between the lowest and highest score flags some pairs and keeps others.
    const threshold = Math.round(((scores[0] + scores[scores.length - 1]) / 2) * 10) / 10;
    await vscode.workspace.getConfiguration('imageCaptioner.clipScore').update('threshold', threshold, vscode.ConfigurationTarget.Global);
    const all = state.run!.results.filter((r) => scoreOf(r) < threshold);
    assert.ok(all.length > 0 && all.length < scores.length, `threshold ${threshold} splits ${scores.join(', ')}`);
    // ball.png shares ball.txt with ball.jpg: when only one of them is flagged, the pair stays.
    const sharesWithKept = (r: ClipScoreResult): boolean => state.run!.results.some((o) => o !== r && o.captionPath === r.captionPath && scoreOf(o) >= threshold);
    const flagged = all.filter((r) => !sharesWithKept(r));
    const held = all.filter(sharesWithKept);
    assert.ok(flagged.length > 0, 'something to move');
    const root = api.dataset.rootPath!;
    const files = [...new Set(flagged.flatMap((r) => [r.imagePath, r.captionPath]))].filter((f) => fs.existsSync(f));
    const before = new Map(files.map((f) => [f, fs.readFileSync(f)]));
    // A rated image keeps its stars where it goes, and back.
    const metaExisted = fs.existsSync(path.join(root, '.image-captioner'));
    const rel = (file: string): string => path.relative(root, file).split(path.sep).join('/');
    await api.ratings.rate([flagged[0].imagePath], 4);

    const outcome = (await vscode.commands.executeCommand<MoveOutcome>('imageCaptioner.clipScore.moveLowScoring', { confirmed: true }))!;
    assert.equal(api.ratings.ratingOf(rel(path.join(failedRoot, path.relative(root, flagged[0].imagePath)))), 4, 'the rating went along');
    assert.equal(api.ratings.ratingOf(rel(flagged[0].imagePath)), 0);
    assert.equal(outcome.moved.length, flagged.length);
    assert.equal(outcome.refused.length, 0);
    assert.deepEqual(outcome.failed.map((f) => f.pair.imagePath), held.map((r) => r.imagePath));
    for (const f of outcome.failed) assert.match(f.error, /caption is shared with .*, which stays/);
    for (const r of held) assert.ok(fs.existsSync(r.imagePath) && fs.existsSync(r.captionPath), `${r.imagePath} and its shared caption stay`);
    for (const [file, bytes] of before) {
      const moved = path.join(failedRoot, path.relative(root, file));
      assert.equal(fs.existsSync(file), false, `${file} moved away`);
      assert.deepEqual(fs.readFileSync(moved), bytes, `${moved} byte-identical`);
    }
    await waitFor(() => api.dataset.index!.findImage(path.join(failedRoot, path.relative(root, flagged[0].imagePath))), 'the moved image indexed in clip_failed');

    const undone = (await vscode.commands.executeCommand<MoveOutcome>('imageCaptioner.clipScore.undoMove'))!;
    assert.equal(undone.moved.length, flagged.length);
    for (const [file, bytes] of before) assert.deepEqual(fs.readFileSync(file), bytes, `${file} restored`);
    assert.deepEqual(filesUnder(failedRoot), [], 'nothing left in clip_failed');
    await waitFor(() => api.dataset.index!.findImage(flagged[0].imagePath), 'the image back in the index');
    assert.equal(api.ratings.ratingOf(rel(flagged[0].imagePath)), 4, 'the rating came back');
    await api.ratings.rate([flagged[0].imagePath], 0);
    if (!metaExisted) fs.rmSync(path.join(root, '.image-captioner'), { recursive: true, force: true });
  });
});
