// Measurement (issue 17): what the rule for rounded decimals does to GPT-4's recorded Game of 24 proposals.
// Every step line of the ToT logs in ../shared/data/tot is judged twice, under roundedDecimals 'refuse' (every
// decimal must be exact) and 'resolve' (a decimal stands for the one number it rounds or cuts off), from the
// state the line's own earlier lines reach under the same rule.
// Run: node bench/tot-rounded.ts   (or --help)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError } from '../src/core/errors.ts';
import { applyOperator } from '../src/envs/game24/solver.ts';
import { sortedNumberTexts } from '../src/envs/game24/multiset.ts';
import { isRoundedDecimalOf, isZero, parseRational, tryParseRational } from '../src/envs/game24/rational.ts';
import type { Game24Rules, Game24State } from '../src/envs/game24/step.ts';
import { judgeLine, outputLines, type JudgedLine } from '../src/import/game24-replay.ts';
import { parseTotLog } from '../src/import/tot-log.ts';
import { printSummary, printTable } from './harness.ts';

const USAGE = `Usage: node bench/tot-rounded.ts [--data <folder>]
Judges every step line of ToT's Game of 24 logs (game24-tot-bfs-sample.json: each proposal ToT's BFS made, the
last line of each new_ys entry; game24-cot-sample.json: every step of every sample) under both rules for rounded
decimals, and prints: lines judged, lines with a decimal that is not exact, invalid under 'refuse', invalid under
'resolve', accepted only under 'resolve' (marked rounded), refused under both although a decimal is within one unit
of the last digit of a number (the rule's rounding is strict: half away from zero or cut off), and wrong
acceptances: an accepted rounded reading for which another number left, or another result of the same two
operands, is also within one unit of the decimal's last digit (so a looser reading could have meant it).
  --data <folder>   where the logs are (default ../shared/data/tot beside the repository)
Example: node bench/tot-rounded.ts`;

const RULES: Record<'refuse' | 'resolve', Game24Rules> = { refuse: { roundedDecimals: 'refuse' }, resolve: { roundedDecimals: 'resolve' } };

interface Line {
  log: string;
  puzzle: number[];
  /** The lines before it in the same output. */
  prefix: string[];
  text: string;
}

/** The state `prefix` reaches under `rules`, or null when one of its lines is invalid (a search never goes on from there). */
function stateAfter(puzzle: number[], prefix: readonly string[], rules: Game24Rules): Game24State | null {
  let state: Game24State = { numbers: sortedNumberTexts(puzzle.map((n) => parseRational(String(n)))) };
  for (const line of prefix) {
    const judged = judgeLine(puzzle, state, line, rules);
    if (!judged.check.valid) return null;
    state = judged.state;
  }
  return state;
}

function linesOf(dataDir: string): Line[] {
  const lines: Line[] = [];
  const bfsPath = join(dataDir, 'game24-tot-bfs-sample.json');
  const bfs = parseTotLog(JSON.parse(readFileSync(bfsPath, 'utf8')), bfsPath);
  if (bfs.kind !== 'bfs') throw new UsageError(`${bfsPath} is not a ToT BFS log`);
  for (const entry of bfs.entries) {
    const puzzle = entry.steps[0].x.trim().split(/\s+/).map(Number);
    for (const step of entry.steps) {
      for (const y of step.new_ys) {
        const all = outputLines(y);
        const text = all.at(-1);
        if (text !== undefined && !/^answer\s*:/i.test(text)) lines.push({ log: 'bfs', puzzle, prefix: all.slice(0, -1), text });
      }
    }
  }
  const cotPath = join(dataDir, 'game24-cot-sample.json');
  const cot = parseTotLog(JSON.parse(readFileSync(cotPath, 'utf8')), cotPath);
  const bfsPuzzles = new Map(bfs.entries.map((e) => [e.idx, e.steps[0].x.trim().split(/\s+/).map(Number)]));
  for (const entry of cot.entries) {
    const puzzle = bfsPuzzles.get(entry.idx);
    if (puzzle === undefined) continue;
    for (const y of entry.ys) {
      const all = outputLines(y).filter((line) => !/^answer\s*:/i.test(line));
      all.forEach((text, i) => lines.push({ log: 'cot', puzzle, prefix: all.slice(0, i), text }));
    }
  }
  return lines;
}

/** Under a looser reading (within one unit of the last digit), could a decimal of this step have meant another number? */
function looselyAmbiguous(state: Game24State, judged: JudgedLine): boolean {
  const readings = (judged.check.detail?.rounded ?? []) as { text: string; exact: string; role: string }[];
  return readings.some((reading) => {
    const others = state.numbers.filter((n) => n !== reading.exact && isRoundedDecimalOf(reading.text, parseRational(n)));
    if (reading.role === 'operand' || reading.role === 'left') return others.length > 0;
    // The result: another operator on the same two operands giving a number this close.
    const action = judged.action!;
    const [a, b] = [tryParseRational(action.a), tryParseRational(action.b)];
    if (a === null || b === null) return false;
    return (['+', '-', '*', '/'] as const).some((op) => {
      if (op === action.op || (op === '/' && isZero(b))) return false;
      return isRoundedDecimalOf(reading.text, applyOperator(a, op, b));
    });
  });
}

function main(): void {
  let dataDir = fileURLToPath(new URL('../../shared/data/tot/', import.meta.url));
  try {
    const { values } = parseArgs({ options: { data: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      console.log(USAGE);
      return;
    }
    if (values.data) dataDir = values.data;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  const lines = linesOf(dataDir);
  const rows: Record<string, string | number>[] = [];
  const examples: string[] = [];
  const totals: Record<string, number> = {};
  for (const log of ['bfs', 'cot', 'all']) {
    const mine = lines.filter((line) => log === 'all' || line.log === log);
    const count = { lines: mine.length, judgedRefuse: 0, invalidRefuse: 0, judgedResolve: 0, invalidResolve: 0, acceptedRounded: 0, rejectedBeforeAcceptedAfter: 0, ambiguousRefused: 0, refusedClose: 0, wrongAcceptance: 0 };
    for (const line of mine) {
      const beforeState = stateAfter(line.puzzle, line.prefix, RULES.refuse);
      const afterState = stateAfter(line.puzzle, line.prefix, RULES.resolve);
      const before = beforeState && judgeLine(line.puzzle, beforeState, line.text, RULES.refuse);
      const after = afterState && judgeLine(line.puzzle, afterState, line.text, RULES.resolve);
      if (before) {
        count.judgedRefuse++;
        if (!before.check.valid) count.invalidRefuse++;
      }
      if (!after || !afterState) continue;
      count.judgedResolve++;
      if (!after.check.valid) count.invalidResolve++;
      if (after.check.valid && after.check.note !== undefined) {
        count.acceptedRounded++;
        if (before && !before.check.valid) count.rejectedBeforeAcceptedAfter++;
        if (looselyAmbiguous(afterState, after)) count.wrongAcceptance++;
        if (log === 'all' && examples.length < 6) examples.push(`${line.text}   →  ${after.check.note}`);
      }
      const reason = after.check.reason ?? '';
      if (!after.check.valid && /could be .* rounded/.test(reason)) count.ambiguousRefused++;
      if (!after.check.valid && /(is close to .* but neither|rounded; use the exact value)/.test(reason)) count.refusedClose++;
    }
    rows.push({
      log,
      'step lines': count.lines,
      'refuse: from a valid state / invalid': `${count.judgedRefuse} / ${count.invalidRefuse}`,
      'resolve: from a valid state / invalid': `${count.judgedResolve} / ${count.invalidResolve}`,
      'accepted as rounded': count.acceptedRounded,
      'of them rejected under refuse': count.rejectedBeforeAcceptedAfter,
      'ambiguous, refused': count.ambiguousRefused,
      'close, not a rounding': count.refusedClose,
      'wrong acceptances': count.wrongAcceptance,
    });
    if (log === 'all') Object.assign(totals, count);
  }
  printTable("GPT-4's Game of 24 step lines under the two rules for rounded decimals", rows);
  console.log('\nexamples accepted under resolve:');
  for (const example of examples) console.log(`  ${example}`);
  printSummary('tot-rounded', totals);
}

main();
