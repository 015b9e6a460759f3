import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { Task } from '../../core/environment.ts';
import { TaskError } from '../../core/errors.ts';
import { loadStripsSpec } from './strips-spec.ts';
import type { StripsSpec } from './strips-spec.ts';

/**
 * One task per problem file, all on one domain. A directory in `problemPaths` stands for every
 * `*.pddl` inside it (except the domain file) in natural order, so instance-2 comes before instance-10.
 * Every problem is parsed here, so a broken file fails at load time with its line number.
 */
export function loadPddlTasks(domainPath: string, problemPaths: string[]): Task<StripsSpec>[] {
  const domain = readText(domainPath, 'domain');
  const files = problemPaths.flatMap((path) => expandProblemPath(path, resolve(domainPath)));
  if (files.length === 0) {
    throw new TaskError(`No problem files found in ${problemPaths.join(', ') || '(no paths given)'}.`, { hint: 'Pass .pddl problem files or a directory that holds them.' });
  }
  const seen = new Map<string, string>();
  return files.map((problemPath) => {
    const id = basename(problemPath, extname(problemPath));
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      throw new TaskError(`Two problem files give the same task id '${id}': ${earlier} and ${problemPath}.`, { hint: 'Load them in separate runs or rename one file.' });
    }
    seen.set(id, problemPath);
    const spec: StripsSpec = { domain, problem: readText(problemPath, 'problem'), domainPath, problemPath };
    const problem = loadStripsSpec(spec, id);
    return {
      id,
      env: 'strips',
      source: problemPath,
      spec,
      meta: { domainName: problem.domain.name, problemName: problem.pddl.name, objectCount: problem.objects.names.length },
    };
  });
}

function readText(path: string, what: 'domain' | 'problem'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new TaskError(`Cannot read the PDDL ${what} file ${path}: ${missing ? 'no such file' : (error as Error).message}.`, {
      hint: `Check the path to the ${what} file.`,
      cause: error,
    });
  }
}

function expandProblemPath(path: string, domainFile: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new TaskError(`Cannot read the PDDL problem path ${path}: no such file or directory.`, { hint: 'Check the path to the problem files.', cause: error });
  }
  if (!isDirectory) return [path];
  return readdirSync(path)
    .filter((name) => name.toLowerCase().endsWith('.pddl'))
    .sort(naturalCompare)
    .map((name) => join(path, name))
    .filter((file) => resolve(file) !== domainFile);
}

/** `instance-2` before `instance-10`: digit runs compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  const chunksA = a.match(/\d+|\D+/g) ?? [];
  const chunksB = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(chunksA.length, chunksB.length); i++) {
    const [x, y] = [chunksA[i], chunksB[i]];
    if (x === y) continue;
    const bothNumbers = /^\d/.test(x) && /^\d/.test(y);
    if (bothNumbers && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return chunksA.length - chunksB.length;
}
