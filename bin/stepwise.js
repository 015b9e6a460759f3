#!/usr/bin/env node
// Entry point for `npx stepwise`. Written without modern syntax (no top-level await, no `?.`/`??`) so an
// old Node can parse it and say it is too old instead of failing with a SyntaxError.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The package runs from dist/ (compiled): node:sqlite needs no flag from 22.13, and the store uses
// StatementSync.setReturnArrays, which 22.16 brought to Node 22.
var PACKAGE_NODE = [22, 16];
// A source checkout runs src/ by type stripping, which needs no flag from 22.18.
var SOURCE_NODE = [22, 18];

var root = join(dirname(fileURLToPath(import.meta.url)), '..');
var sourceMain = join(root, 'src', 'cli', 'main.ts');
var fromSource = existsSync(sourceMain);
var needed = fromSource ? SOURCE_NODE : PACKAGE_NODE;
var version = process.versions.node.split('.').map(Number);
var supported = version[0] > needed[0] || (version[0] === needed[0] && version[1] >= needed[1]);

if (!supported) {
  // In a source checkout, the Node the repo installs as a dev dependency (package `node`) runs it instead.
  var bundled = join(root, 'node_modules', 'node', 'bin', 'node');
  if (fromSource && existsSync(bundled)) {
    var result = spawnSync(bundled, [fileURLToPath(import.meta.url)].concat(process.argv.slice(2)), { stdio: 'inherit' });
    process.exit(result.status === null ? 1 : result.status);
  }
  console.error(
    'stepwise needs Node.js ' + needed.join('.') + ' or newer; this is Node ' + process.version + '.\n' +
      '  Install Node 22 LTS or newer (https://nodejs.org, or nvm install 22), then run the command again.' +
      (fromSource ? '\n  In a source checkout, `npm install` also fetches the repo\'s own Node.' : ''),
  );
  process.exit(1);
}

// node:sqlite still prints an ExperimentalWarning on some 22.x/24.x releases; it is noise for CLI users.
var emitWarning = process.emitWarning;
process.emitWarning = function (warning) {
  var rest = Array.prototype.slice.call(arguments, 1);
  var type = typeof rest[0] === 'string' ? rest[0] : rest[0] && rest[0].type;
  if (type === 'ExperimentalWarning' && String(warning).indexOf('SQLite') !== -1) return;
  return emitWarning.apply(process, arguments);
};

// Node's on-disk compile cache (in the temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off): a command then
// starts in about half the time, as the modules it loads (and, from source, their stripped types) come compiled.
if (module.enableCompileCache) module.enableCompileCache();

var main = fromSource ? sourceMain : join(root, 'dist', 'cli', 'main.js');
import(pathToFileURL(main).href)
  .then(function (cli) {
    return cli.main(process.argv.slice(2));
  })
  .then(function (code) {
    process.exitCode = code;
  });
