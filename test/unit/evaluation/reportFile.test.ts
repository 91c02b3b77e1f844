import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { listReports, newReportId, readReport, readStoredReport, writeReport } from '../../../src/core/evaluation/reportFile';
import { reportExportBytes } from '../../../src/core/evaluation/reportExport';
import { TempDirs } from '../helpers/tempTree';
import { sampleReport } from './sampleReport';

describe('evaluation report file', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  it('writes report.json in the run folder and reads back the same report', async () => {
    const root = await temp.make();
    const report = sampleReport();
    const file = await writeReport(path.join(root, 'evaluations', report.id), report);
    assert.equal(file, path.join(root, 'evaluations', report.id, 'report.json'));
    assert.deepEqual(await readReport(file), JSON.parse(JSON.stringify(report)));
    assert.deepEqual((await fs.readdir(path.dirname(file))), ['report.json'], 'no temp file is left');
  });

  it('the JSON export is byte for byte the report.json of the run: one format (1-space indent, final newline)', async () => {
    const root = await temp.make();
    const report = sampleReport();
    const saved = await fs.readFile(await writeReport(root, report));
    const exported = Buffer.from(reportExportBytes(report, 'json'));
    assert.ok(exported.equals(saved), `export:\n${exported.toString('utf8').slice(0, 80)}\nreport.json:\n${saved.toString('utf8').slice(0, 80)}`);
    assert.match(saved.toString('utf8'), /^\{\n "version": /);
    assert.ok(saved.toString('utf8').endsWith('}\n'));
  });

  it('refuses a report of another version, naming the version', async () => {
    const root = await temp.make();
    const file = path.join(root, 'r.json');
    await fs.writeFile(file, JSON.stringify({ ...sampleReport(), version: 2 }));
    await assert.rejects(readReport(file), /version is 2; .*version 1/);
  });

  it('names the field that has the wrong shape', async () => {
    const root = await temp.make();
    const file = path.join(root, 'r.json');
    const report = sampleReport();
    const broken = { ...report, models: [report.models[0], { ...report.models[1], cocoBleu: [0.1, 0.2] }] };
    await fs.writeFile(file, JSON.stringify(broken));
    await assert.rejects(readReport(file), /models\[1\]\.cocoBleu is not four numbers/);
    await fs.writeFile(file, JSON.stringify({ ...report, images: [{ ...report.images[0], references: [3] }] }));
    await assert.rejects(readReport(file), /images\[0\]\.references\[0\] is not a string/);
    await fs.writeFile(file, JSON.stringify({ ...report, id: '../x' }));
    await assert.rejects(readReport(file), /id "\.\.\/x" is not a report id/);
  });

  it('refuses a cut-off file, a non-UTF-8 file, a folder and a FIFO with plain errors', async () => {
    const root = await temp.make();
    const cut = path.join(root, 'cut.json');
    await fs.writeFile(cut, JSON.stringify(sampleReport()).slice(0, 200));
    await assert.rejects(readReport(cut), /is not valid JSON/);
    const latin1 = path.join(root, 'latin1.json');
    await fs.writeFile(latin1, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    await assert.rejects(readReport(latin1), /is not UTF-8 text/);
    await assert.rejects(readReport(root), /is a folder, not a regular file/);
    await assert.rejects(readReport(path.join(root, 'none.json')), /does not exist/);
    const fifo = path.join(root, 'fifo');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(readReport(fifo), /named pipe/);
  });

  it('resumes only a run report.json under the evaluations folder: not a report elsewhere, nor one reached by a link out', async () => {
    const root = await temp.make();
    const evaluations = path.join(root, 'evaluations');
    const report = sampleReport();
    const inside = await writeReport(path.join(evaluations, report.id), report);
    assert.deepEqual(await readStoredReport(evaluations, inside), { report: JSON.parse(JSON.stringify(report)), file: inside });
    const elsewhere = await writeReport(path.join(root, 'elsewhere'), report);
    await assert.rejects(readStoredReport(evaluations, elsewhere), /is not an evaluation report of this workspace/);
    await assert.rejects(readStoredReport(evaluations, path.join(evaluations, report.id, '..', '..', 'elsewhere', 'report.json')), /is not an evaluation report of this workspace/);
    const nested = await writeReport(path.join(evaluations, 'a', 'b'), report);
    await assert.rejects(readStoredReport(evaluations, nested), /is not an evaluation report of this workspace/);
    const other = path.join(evaluations, report.id, 'other.json');
    await fs.copyFile(inside, other);
    await assert.rejects(readStoredReport(evaluations, other), /is not an evaluation report of this workspace/);
    await fs.symlink(path.join(root, 'elsewhere'), path.join(evaluations, 'linked'));
    await assert.rejects(readStoredReport(evaluations, path.join(evaluations, 'linked', 'report.json')), /is not an evaluation report of this workspace/);
    await assert.rejects(readStoredReport(evaluations, path.join(evaluations, 'none', 'report.json')), /does not exist/);
  });

  it('lists reports newest first, the unreadable apart, folders without a report left out', async () => {
    const evaluations = path.join(await temp.make(), 'evaluations');
    assert.deepEqual(await listReports(evaluations), { reports: [], unreadable: [] }, 'no folder yet is no report');
    const older = sampleReport({ id: 'older', createdAt: '2026-01-01T00:00:00.000Z' });
    const newer = sampleReport({ id: 'newer', createdAt: '2026-06-01T00:00:00.000Z' });
    await writeReport(path.join(evaluations, 'older'), older);
    await writeReport(path.join(evaluations, 'newer'), newer);
    await fs.mkdir(path.join(evaluations, 'running', 'captions'), { recursive: true });
    await fs.mkdir(path.join(evaluations, 'broken'));
    await fs.writeFile(path.join(evaluations, 'broken', 'report.json'), '{"version":1}');
    const listing = await listReports(evaluations);
    assert.deepEqual(listing.reports.map((r) => r.report.id), ['newer', 'older']);
    assert.equal(listing.reports[0].file, path.join(evaluations, 'newer', 'report.json'));
    assert.equal(listing.unreadable.length, 1);
    assert.equal(listing.unreadable[0].file, path.join(evaluations, 'broken', 'report.json'));
    assert.match(listing.unreadable[0].reason, /id is not a string/);
  });

  it('makes ids that sort by time and are safe folder names', () => {
    const a = newReportId(new Date('2026-01-01T00:00:00Z'));
    const b = newReportId(new Date('2026-01-02T00:00:00Z'));
    assert.match(a, /^2026-01-01T00-00-00-000Z-[0-9a-f]{6}$/);
    assert.ok(a < b);
  });
});
