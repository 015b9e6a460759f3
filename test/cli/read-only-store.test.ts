import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { runCli, tempDb, tempDir } from './cli-process.ts';

// Permissions do not bind root: as root, the CLI runs as "nobody" so a read-only file is read-only to it.
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
const locked: string[] = [];
after(() => {
  for (const path of locked) if (existsSync(path)) chmodSync(path, 0o755);
});

/** Opens the folders above a test folder to "nobody" (mkdtemp makes them private). */
function traversable(path: string): void {
  for (let dir = dirname(path); dir !== dirname(dir) && dir.includes('stepwise-cli-test-'); dir = dirname(dir)) chmodSync(dir, 0o755);
}

describe('read-only stores', () => {
  it('a read-only file in a read-only folder is read by runs, show, replay and export, naming records left in its journal', async () => {
    const source = tempDb();
    const recorded = await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--db', source, '--json']);
    assert.equal(recorded.code, 0, recorded.stderr);
    // A killed writer leaves a -wal journal: copy the file with one, as a user copying a store would.
    const writer = new DatabaseSync(source);
    writer.exec('PRAGMA wal_autocheckpoint = 0');
    writer.exec("INSERT INTO meta (key, value) VALUES ('note', 'only in the journal')");
    const folder = join(tempDir(), 'shelf');
    mkdirSync(folder);
    const db = join(folder, 'traces.db');
    copyFileSync(source, db);
    copyFileSync(`${source}-wal`, `${db}-wal`);
    writer.close();
    for (const file of readdirSync(folder)) chmodSync(join(folder, file), 0o444);
    chmodSync(folder, 0o555);
    locked.push(folder);
    traversable(folder);

    for (const args of [['runs'], ['show', 'latest'], ['replay', 'latest'], ['export', 'latest', '--format', 'jsonl']]) {
      const result = await runCli([...args, '--db', db], asUser);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /readonly database|lock/);
      assert.match(result.stderr, /traces\.db-wal holds records not yet in .*cannot be read without write access to its folder/);
    }
    assert.deepEqual(readdirSync(folder).sort(), ['traces.db', 'traces.db-wal'], 'nothing written beside it');
  });

  it('a run into a read-only file in a writable folder stops before searching and leaves no journal behind', async () => {
    const db = tempDb();
    assert.equal((await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--db', db])).code, 0);
    chmodSync(db, 0o444);
    chmodSync(dirname(db), 0o777);
    traversable(db);
    const started = performance.now();
    const result = await runCli(['run', 'game24', '--tasks', 'generate:game24?count=50&seed=3', '--db', db], asUser);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /The store file .*traces\.db is read-only: nothing could be recorded into it/);
    assert.match(result.stderr, /hint: make it writable .*or pass --db <another file>/);
    assert.doesNotMatch(result.stderr, /a bug/);
    assert.ok(performance.now() - started < 20_000);
    assert.ok(!existsSync(`${db}-wal`) && !existsSync(`${db}-shm`), 'no -wal/-shm left behind');
  });
});
