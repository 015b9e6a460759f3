import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TaskError, UsageError } from '../../../src/core/errors.ts';
import { loadTotCsv, parseRowRange } from '../../../src/envs/game24/tot-csv.ts';
import { TOT_CSV } from './data.ts';
import { NEEDS_SHARED_DATA } from '../../shared-data.ts';

const HEADER = 'Rank,Puzzles,AMT (s),Solved rate,1-sigma Mean (s),1-sigma STD (s)';

function csvFile(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'game24-csv-')), '24.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('loadTotCsv', () => {
  it("loads the paper's test rows 900-999 with ids, sources and meta", { skip: NEEDS_SHARED_DATA }, () => {
    const tasks = loadTotCsv(TOT_CSV, parseRowRange('900-999'));
    assert.equal(tasks.length, 100);
    const first = tasks[0];
    assert.equal(first.id, 'tot-900');
    assert.equal(first.env, 'game24');
    assert.equal(first.source, `${TOT_CSV}#900`);
    assert.deepEqual(first.spec, { numbers: [4, 5, 6, 10] });
    assert.equal(first.meta?.rank, 901);
    assert.ok(typeof first.meta?.solvedRate === 'number' && first.meta.solvedRate > 0 && first.meta.solvedRate <= 1);
    assert.equal(tasks[99].id, 'tot-999');
  });

  it('loads one row and the whole file', { skip: NEEDS_SHARED_DATA }, () => {
    assert.deepEqual(loadTotCsv(TOT_CSV, { start: 0, end: 0 })[0].spec, { numbers: [1, 1, 4, 6] });
    assert.equal(loadTotCsv(TOT_CSV).length, 1362);
  });

  it('says when the file is missing', () => {
    assert.throws(
      () => loadTotCsv('/nonexistent/24.csv'),
      (error: unknown) => error instanceof TaskError && /\/nonexistent\/24\.csv: no such file/.test(error.message),
    );
  });

  it('says which line is malformed', () => {
    const path = csvFile([HEADER, '1,1 1 4 6,4.4,99.20%,4.67,1.48', '2,1 1 11,4.41,99.60%,4.68,1.45']);
    assert.throws(() => loadTotCsv(path), /line 3 \(row 1\): expected four whole numbers in Puzzles, found '1 1 11'/);
    assert.equal(loadTotCsv(path, { start: 0, end: 0 }).length, 1, 'rows outside the range are not read');
    const short = csvFile([HEADER, '1,1 1 4 6,4.4']);
    assert.throws(() => loadTotCsv(short), /line 2 \(row 0\): expected 6 comma-separated cells, found 3/);
  });

  it('rejects a file with another header', () => {
    assert.throws(() => loadTotCsv(csvFile(['a,b,c', '1,2,3'])), /does not look like ToT's 24.csv/);
  });

  it('suggests only a range the file has, and says when it has no rows at all', () => {
    const header = 'Rank,Puzzles,AMT (s),Solved rate,1-sigma Mean (s),1-sigma STD (s)';
    const small = csvFile([header, '1,1 1 4 6,5.5,99%,1,1', '2,1 1 11 11,5.5,98%,1,1']);
    assert.throws(() => loadTotCsv(small, { start: 900, end: 999 }), (error: unknown) => {
      assert.ok(error instanceof TaskError);
      assert.match(error.message, /rows 900-999 are outside .*, which has rows 0-1$/);
      assert.equal(error.hint, 'pick a range inside the file, e.g. 0-1');
      return true;
    });
    assert.throws(() => loadTotCsv(csvFile([header])), /has a header but no puzzle rows/);
  });

  it('a bad row names only its wrong cells, and the hint says how to fix or skip it', () => {
    const header = 'Rank,Puzzles,AMT (s),Solved rate,1-sigma Mean (s),1-sigma STD (s)';
    const path = csvFile([header, '1,1 1 4 6,5.5,99%,1,1', '4,1 1 4 6,5.5,abc,1,1']);
    assert.throws(() => loadTotCsv(path), (error: unknown) => {
      assert.ok(error instanceof TaskError);
      assert.match(error.message, /line 3 \(row 1\): expected a percentage Solved rate \(like 99%\), found 'abc'$/);
      assert.doesNotMatch(error.message, /Rank/, 'the good Rank cell is not called wrong');
      assert.match(error.hint ?? '', /fix line 3 of the file, or leave row 1 out: tot:.*:0-0/);
      return true;
    });
  });

  it('says when the range is outside the file', { skip: NEEDS_SHARED_DATA }, () => {
    assert.throws(() => loadTotCsv(TOT_CSV, { start: 1300, end: 1400 }), /rows 1300-1400 are outside .*rows 0-1361/);
  });
});

describe('parseRowRange', () => {
  it('reads a range or a single row', () => {
    assert.deepEqual(parseRowRange('900-999'), { start: 900, end: 999 });
    assert.deepEqual(parseRowRange('5'), { start: 5, end: 5 });
  });

  it('rejects other text with a usage error', () => {
    assert.throws(() => parseRowRange('999-900'), (error: unknown) => error instanceof UsageError && /ends before it starts/.test(error.message));
    assert.throws(() => parseRowRange('nine'), UsageError);
    assert.throws(() => parseRowRange('-3'), UsageError);
  });
});
