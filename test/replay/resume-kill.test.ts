import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRng } from '../../src/core/rng.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../../src/testing/game24-model.ts';
import { parseJsonLine, runCli, tempDb, TOT_CSV } from '../cli/cli-process.ts';
import { requestKey, runAndKillAfterProgress, snapshotStore, type StoreSnapshot } from './kill-cli.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

/** How long the CLI takes to start, and how long the reference run searched, measured on this machine now. */
interface KillTiming {
  startupMs: number;
  searchMs: number;
}

/** Runs the reference (uninterrupted) run and times it and a bare start-up, so kill moments follow the machine's current speed. */
async function referenceRun(runArgs: string[], db: string): Promise<KillTiming> {
  let started = performance.now();
  await runCli(['--version']);
  const startupMs = performance.now() - started;
  started = performance.now();
  parseJsonLine(await runCli([...runArgs, '--db', db]));
  return { startupMs, searchMs: Math.max(100, performance.now() - started - startupMs) };
}

interface KillRounds {
  kills: number;
  finishedEarly: boolean;
  /** Nodes on record after each kill. */
  kept: number[];
}

/**
 * SIGKILLs `stepwise run`, then `stepwise resume`, at seeded random moments until `kills` kills landed, checking after
 * each that the file is sound, holds one run, and still holds every node committed before, unchanged.
 * `beforeRound`/`afterRound` let a test watch what was sent in each round.
 */
async function killRepeatedly(
  runArgs: string[],
  db: string,
  options: { kills: number; seed: number; timing: KillTiming; afterRound?: (before: StoreSnapshot | null, now: StoreSnapshot) => void },
): Promise<KillRounds> {
  const rng = createRng(options.seed);
  let previous: StoreSnapshot | null = null;
  const rounds: KillRounds = { kills: 0, finishedEarly: false, kept: [] };
  while (rounds.kills < options.kills) {
    const args = previous && previous.runs.length > 0 ? ['resume', 'latest', '--db', db, '--json'] : [...runArgs, '--db', db];
    // Once the round has committed something new, a kill lands within the next twentieth of a search, mid-writes and mid-calls.
    const outcome = await runAndKillAfterProgress(args, db, rng.next() * options.timing.searchMs * 0.05);
    const now = await snapshotStore(db);
    options.afterRound?.(previous, now);
    if (!outcome.killed) {
      assert.equal(outcome.code, 0, `a round that was not killed must finish cleanly; stderr: ${outcome.stderr}`);
      rounds.finishedEarly = true;
      break;
    }
    rounds.kills++;
    assert.ok(now.runs.length <= 1, 'resuming never starts a second run');
    if (previous) {
      for (const [id, node] of previous.nodes) assert.deepEqual(now.nodes.get(id), node, `committed node ${id} is kept as it was`);
    }
    rounds.kept.push(now.nodes.size);
    previous = now;
    // Killed after it recorded its end (while closing the store or printing): nothing is left to resume.
    if (now.runs[0]?.end?.status === 'completed') {
      rounds.finishedEarly = true;
      break;
    }
  }
  return rounds;
}

/** Per task: outcome, plan, expansions, node count, and the tree as a set of positions. */
async function resultsOf(db: string) {
  const snapshot = await snapshotStore(db);
  assert.equal(snapshot.runs.length, 1);
  const [{ run, end, results }] = snapshot.runs;
  return {
    status: end?.status,
    tasks: results
      .map((r) => ({ task: r.taskId, outcome: r.outcome, plan: r.plan, expansions: r.expansions, nodes: r.nodes, shape: snapshot.shapes.get(`${run.id}/${r.taskId}`) }))
      .sort((a, b) => a.task.localeCompare(b.task)),
  };
}

test('a run SIGKILLed at ten random moments, then resumed, ends exactly as an uninterrupted run', async (t) => {
  const runArgs = ['run', 'strips', '--tasks', 'generate:blocksworld?count=8&blocks=5&length=8', '--strategy', 'bfs', '--width', 'all', '--json'];
  const reference = tempDb();
  const timing = await referenceRun(runArgs, reference);
  const expected = await resultsOf(reference);

  const db = tempDb();
  const rounds = await killRepeatedly(runArgs, db, { kills: 10, seed: 6, timing });
  if (!rounds.finishedEarly) {
    const finished = parseJsonLine(await runCli(['resume', 'latest', '--db', db, '--json']));
    assert.equal(finished.status, 'completed');
    assert.ok(finished.kept.nodes > 0, 'the resume kept what the killed rounds recorded');
  }
  t.diagnostic(`kills ${rounds.kills}; nodes on record after each: ${rounds.kept.join(', ')}; start-up ${timing.startupMs.toFixed(0)} ms, search ${timing.searchMs.toFixed(0)} ms`);
  assert.ok(rounds.kills >= 6, `only ${rounds.kills} kills landed before the run finished`);
  assert.ok(rounds.kept.some((n, i) => n > 0 && n > (rounds.kept[i - 1] ?? 0)), 'some kills landed after records were committed');
  const actual = await resultsOf(db);
  assert.equal(actual.status, 'completed');
  assert.deepEqual(actual.tasks, expected.tasks);

  const again = await runCli(['resume', 'latest', '--db', db]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already completed; there is nothing to resume/);
});

describe('resuming a model-backed run', () => {
  let server: FakeOpenAIServer;
  before(async () => {
    server = await startFakeOpenAIServer({ script: game24ModelScript(), latencyMs: 2 });
  });
  after(() => server.close());

  test('never sends a request again whose reply was recorded, and ends as an uninterrupted run', { skip: NEEDS_SHARED_DATA }, async (t) => {
    const model = `openai-compatible:${server.url}#fake-gpt`;
    const runArgs = ['run', 'game24', '--tasks', `tot:${TOT_CSV}:900-907`, '--model', model, '--strategy', 'bfs', '--width', '3', '--mode', 'list', '--scorer', 'value', '--json'];
    const reference = tempDb();
    const timing = await referenceRun(runArgs, reference);
    const expected = await resultsOf(reference);
    const sentUninterrupted = server.requests.length;

    const db = tempDb();
    let seen = server.requests.length;
    let resent = 0;
    const rounds = await killRepeatedly(runArgs, db, {
      kills: 5,
      seed: 24,
      timing,
      afterRound(before, now) {
        const arrived = server.requests.slice(seen);
        seen = server.requests.length;
        for (const body of arrived) {
          if (before?.answered.has(requestKey(body.messages ?? [], Number(body.seed ?? 0)))) resent++;
        }
        for (const key of before?.answered ?? []) assert.ok(now.answered.has(key), 'a recorded reply is kept');
      },
    });
    if (!rounds.finishedEarly) {
      const start = server.requests.length;
      const before = await snapshotStore(db);
      parseJsonLine(await runCli(['resume', 'latest', '--db', db, '--json']));
      for (const body of server.requests.slice(start)) {
        if (before.answered.has(requestKey(body.messages ?? [], Number(body.seed ?? 0)))) resent++;
      }
    }
    t.diagnostic(`kills ${rounds.kills}; requests: uninterrupted ${sentUninterrupted}, killed and resumed ${server.requests.length - sentUninterrupted}`);
    assert.equal(resent, 0, 'requests whose replies were recorded were sent again');
    assert.ok(rounds.kills >= 3, `only ${rounds.kills} kills landed`);
    const actual = await resultsOf(db);
    assert.equal(actual.status, 'completed');
    assert.deepEqual(actual.tasks, expected.tasks);
  });
});
