import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

const root = mkdtempSync(join(tmpdir(), 'stepwise-store-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A fresh store path inside a not-yet-existing folder, removed when the test file ends. */
export function tempStorePath(name = 'traces.db'): string {
  counter += 1;
  return join(root, `case-${counter}`, 'nested', name);
}
