import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Task } from '../../core/environment.ts';
import { TaskError, UsageError } from '../../core/errors.ts';
import type { SuiteKeyNode } from '../../eval/key-node.ts';

/** A browser task: a page on MiniWoB++'s protocol, the seed its episode starts from, and optional key nodes. */
export interface BrowserTaskSpec {
  /** `builtin` for stepwise's own pages, else the folder served from 127.0.0.1 (absolute). */
  root: string;
  /** The task page's path on the server, e.g. `/shop/index.html`. */
  page: string;
  seed: number;
  /** Key nodes checked on every step: WebCanvas / Mind2Web-Live entries or native ones. The page may declare more. */
  keyNodes?: SuiteKeyNode[];
}

/** stepwise's own task pages (src/envs/browser/pages). */
export const BUILTIN_PAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'pages');

/** The built-in tasks by name: clicking, typing, a form, a multi-page shop, a page with a tool API beside its GUI. */
export const BUILTIN_TASKS: Record<string, { page: string; describe: string }> = {
  'click-button': { page: '/click-button.html', describe: 'click the button the instruction names' },
  'enter-text': { page: '/enter-text.html', describe: 'type a word and submit' },
  'login-form': { page: '/login-form.html', describe: 'fill a user name, a password and a team, then log in' },
  shop: { page: '/shop/index.html', describe: 'search a shop, open the product, add it to the cart and check out (five pages)' },
  'order-lookup': { page: '/order-lookup.html', describe: "enter a customer's order number, which only the page's find_order tool knows" },
};

export const BROWSER_TASK_SPECS = ['builtin:all', 'builtin:shop,login-form?seeds=1-3', 'miniwob:path/to/miniwob/html/miniwob?pages=click-button,enter-text&seeds=0-4', 'tasks:web-tasks.json'];
const HINT = `use one of: ${BROWSER_TASK_SPECS.join(' | ')}`;

/** The folder a task's pages are served from. */
export function taskRoot(spec: BrowserTaskSpec): string {
  return spec.root === 'builtin' ? BUILTIN_PAGES_DIR : spec.root;
}

/** Reads `builtin:…`, `miniwob:<folder>…` and `tasks:<file.json>` into tasks. */
export function loadBrowserTasks(spec: string): Task<BrowserTaskSpec>[] {
  const [kind, ...restParts] = spec.split(':');
  const rest = restParts.join(':');
  const [body, query = ''] = splitQuery(rest);
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (key !== 'seeds' && key !== 'pages') throw new UsageError(`browser task specs take ?seeds= and ?pages=, not "${key}"`, { hint: HINT });
  }
  const seeds = parseSeeds(params.get('seeds') ?? '0');
  if (kind === 'builtin') {
    const names = body === 'all' || body === '' ? Object.keys(BUILTIN_TASKS) : body.split(',').map((n) => n.trim());
    const unknown = names.filter((name) => !BUILTIN_TASKS[name]);
    if (unknown.length > 0) throw new UsageError(`no built-in browser task "${unknown[0]}"`, { hint: `the built-in tasks are ${Object.keys(BUILTIN_TASKS).join(', ')} (or all)` });
    return names.flatMap((name) => seeds.map((seed) => task(`${name}-s${seed}`, spec, { root: 'builtin', page: BUILTIN_TASKS[name].page, seed })));
  }
  if (kind === 'miniwob') return loadMiniwobFolder(body, params.get('pages'), seeds, spec);
  if (kind === 'tasks') return loadTaskFile(body, spec);
  throw new UsageError(`the browser environment does not understand the task spec "${spec}"`, { hint: HINT });
}

/**
 * A folder of MiniWoB++-protocol pages (e.g. MiniWoB++'s `html/miniwob`): every `.html` in it, or those `pages`
 * names. The folder's parent is served, so a sibling `core/` folder (MiniWoB++'s layout) loads too.
 */
function loadMiniwobFolder(folder: string, pages: string | null, seeds: number[], spec: string): Task<BrowserTaskSpec>[] {
  const dir = resolve(folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new TaskError(`no folder of task pages at ${folder}`, { hint: 'pass a folder of MiniWoB++-protocol .html pages: miniwob:<folder>' });
  const available = readdirSync(dir).filter((name) => name.endsWith('.html')).map((name) => name.slice(0, -5)).sort();
  const names = pages ? pages.split(',').map((p) => p.trim().replace(/\.html$/, '')) : available;
  const missing = names.find((name) => !available.includes(name));
  if (missing) throw new TaskError(`no page ${missing}.html in ${folder}`, { hint: `its pages are ${available.slice(0, 10).join(', ')}${available.length > 10 ? ', …' : ''}` });
  if (names.length === 0) throw new TaskError(`the folder ${folder} holds no .html pages`);
  const root = dirname(dir);
  const prefix = `/${relative(root, dir).split(sep).join('/')}`;
  return names.flatMap((name) => seeds.map((seed) => task(`${name}-s${seed}`, spec, { root, page: `${prefix}/${name}.html`, seed })));
}

/** A JSON list of `{ task_id?, page, root?, seed?, evaluation? }`: Mind2Web-Live's evaluation entries become key nodes. */
function loadTaskFile(path: string, spec: string): Task<BrowserTaskSpec>[] {
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TaskError(`cannot read the browser task file ${path}: ${error instanceof Error ? error.message : String(error)}`, { hint: 'a JSON list of { "task_id", "page", "root", "seed", "evaluation": [...] }' });
  }
  if (!Array.isArray(entries)) throw new TaskError(`the browser task file ${path} must hold a JSON list of tasks`);
  return entries.map((raw, i) => {
    const entry = raw as { task_id?: unknown; page?: unknown; root?: unknown; seed?: unknown; evaluation?: unknown };
    if (typeof entry.page !== 'string') throw new TaskError(`task ${i + 1} of ${path} has no "page" (the page's path on the served folder)`);
    const root = typeof entry.root === 'string' ? resolve(dirname(path), entry.root) : 'builtin';
    const id = typeof entry.task_id === 'string' || typeof entry.task_id === 'number' ? String(entry.task_id) : `${basename(entry.page, '.html')}-${i + 1}`;
    const seed = typeof entry.seed === 'number' ? entry.seed : 0;
    const keyNodes = Array.isArray(entry.evaluation) ? (entry.evaluation as SuiteKeyNode[]) : undefined;
    return task(id, spec, { root, page: entry.page.startsWith('/') ? entry.page : `/${entry.page}`, seed, ...(keyNodes ? { keyNodes } : {}) });
  });
}

function task(id: string, source: string, spec: BrowserTaskSpec): Task<BrowserTaskSpec> {
  return { id, env: 'browser', source, spec };
}

function splitQuery(text: string): [string, string] {
  const at = text.lastIndexOf('?');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/** `3`, `0-4` or `1,5,9`. */
function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (!range) throw new UsageError(`seeds must be whole numbers or ranges like 0-4, got "${text}"`, { hint: 'e.g. ?seeds=0-4 or ?seeds=1,5,9' });
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from) throw new UsageError(`the seed range ${part.trim()} runs backwards`);
    for (let seed = from; seed <= to; seed++) seeds.push(seed);
  }
  return seeds;
}
