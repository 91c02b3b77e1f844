import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readReport, writeReport } from '../../../src/core/evaluation/reportFile';
import { fixtureReport, smallReport } from './panelReports';

describe("the panel tests' reports", () => {
  it('pass the report reader\'s checks, so the integration suite opens what it wrote', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-panel-reports-'));
    try {
      for (const report of [smallReport(), fixtureReport('/data/set', (i, id) => `${id}.jpg`)]) {
        const file = await writeReport(path.join(dir, report.id), report);
        assert.deepEqual(await readReport(file), JSON.parse(JSON.stringify(report)));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
