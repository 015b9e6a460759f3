import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as stepwise from '../src/index.ts';

// What a library user reaches for in each room, by the name the docs use.
const ROOMS: Record<string, readonly string[]> = {
  core: ['defineEnvironment', 'defineProposer', 'defineScorer', 'defineGuard', 'createRng'],
  search: ['runSearch', 'defineStrategy', 'createStrategy', 'bfs', 'mcts'],
  store: ['openStore', 'openSqliteStore', 'createMemoryStore'],
  models: ['createModelClient', 'llmProposer', 'valueJudge', 'pickJudge', 'loadTemplate'],
  credit: ['computeCredit', 'monteCarloValues', 'advantages', 'storeCredit', 'loadStoredCredit'],
  export: ['exportRun', 'defineExportFormat'],
  import: ['parseTotLog', 'importBfsEntry', 'importCotEntry', 'writeImportedRun', 'totImportReport'],
  learn: ['fitValueModel', 'loadValueModel', 'saveValueModel', 'learnedScorer'],
  eval: ['runEval', 'loadSuite', 'parseSuite', 'summarizeEval', 'renderEvalReport', 'keyNodeHits', 'deriveKeyNodes'],
  replay: ['replayRun', 'resumeRun', 'planResume', 'forkRun', 'runRecipe', 'loadRunTree', 'runFamily'],
  view: ['startViewServer'],
  tools: ['toolProposer', 'actionToolsFor', 'agentMessages', 'loadMcpTasks', 'openMcpWorld'],
  worlds: ['createWorldPool', 'loadWorkspaceTasks', 'runSandboxed'],
  browser: ['browserEnvironment', 'loadBrowserTasks', 'parseBrowserAction', 'enumerateGuiActions', 'launchChromium', 'artifactsDirOf'],
  people: ['reportEnvironment', 'runFeedbackSession', 'startWebFeedbackSession', 'definePerson', 'terminalPerson', 'simulatedUser', 'feedbackStats'],
};

test('the public API exports what a library user needs from every room', () => {
  const api = stepwise as Record<string, unknown>;
  const missing = Object.entries(ROOMS).flatMap(([room, names]) =>
    names.filter((name) => typeof api[name] !== 'function').map((name) => `${room}: ${name}`),
  );
  assert.deepEqual(missing, []);
});

test('every export format is reachable by name and yields records', () => {
  for (const name of ['jsonl', 'sft', 'dpo', 'prm', 'feedback']) {
    const format = stepwise.EXPORT_FORMATS[name];
    assert.equal(format?.name, name);
    assert.equal(typeof format.records, 'function');
  }
});

test('command-line plumbing stays out of the public API', () => {
  for (const name of ['findRun', 'findRuns', 'withStore', 'runArgument', 'parseCommandArgs']) {
    assert.equal(name in stepwise, false, `${name} is a CLI helper, not library API`);
  }
});
