import assert from 'node:assert/strict';
import { openSync, readFileSync, writeSync, closeSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runCli, tempDb } from './cli-process.ts';

/** Overwrites pages in the middle of the file with garbage, as a disk fault or a copy cut short would. */
function damagePages(path: string): void {
  const pageSize = readFileSync(path).readUInt16BE(16);
  const pages = statSync(path).size / pageSize;
  const fd = openSync(path, 'r+');
  try {
    for (let page = 2; page < pages; page += 2) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page * pageSize);
  } finally {
    closeSync(fd);
  }
}

describe('a damaged store', () => {
  it('every command names the damaged file and how to recover what can be read, with no stack trace', async () => {
    const db = tempDb();
    const recorded = await runCli(['run', 'game24', '--tasks', 'generate:game24?count=4&seed=2', '--db', db, '--json']);
    assert.equal(recorded.code, 0, recorded.stderr);
    damagePages(db);
    let damagedSeen = 0;
    for (const args of [['runs'], ['show', 'latest'], ['show', 'latest', '--task', 'g24-0'], ['replay', 'latest'], ['resume', 'latest'], ['export', 'latest', '--format', 'jsonl'], ['credit', 'latest'], ['run', 'game24', '--tasks', 'puzzle:4 4 6 8']]) {
      const result = await runCli([...args, '--db', db]);
      assert.doesNotMatch(result.stderr, /^\s+at /m, `${args.join(' ')}: no stack trace\n${result.stderr}`);
      if (result.code === 0) continue;
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      if (/is damaged/.test(result.stderr)) {
        damagedSeen++;
        assert.match(result.stderr, new RegExp(`The store file ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged`));
        assert.match(result.stderr, /hint: keep the file as it is; try SQLite's recovery .*sqlite3 .* \.recover \| sqlite3 recovered\.db/);
      }
    }
    assert.ok(damagedSeen >= 3, `the damage was named (${damagedSeen} commands)`);
  });
});
