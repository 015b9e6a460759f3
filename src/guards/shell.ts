import { parse, type ParseEntry } from 'shell-quote';

/** One simple command of a shell line: its words, and the files its output and input are redirected to and from. */
export interface SimpleCommand {
  /** The program and its arguments, with quotes removed and `$VAR`s kept as written. */
  argv: string[];
  /** Files written by `>` / `>>` (not `/dev/null`). */
  writes: string[];
  /** The subset of `writes` appended to (`>>`). */
  appends: string[];
  /** Files read by `<`. */
  reads: string[];
  /** Heredoc text fed to the command (`cat > f << 'EOF' … EOF`), which is what a `cat >` writes. */
  stdinText: string | null;
  /** The command reads the previous command's output (`a | b`). */
  piped: boolean;
}

const SEPARATORS = new Set([';', '&&', '||', '&', '(', ')', ';;', '|&']);
const HEREDOC_START = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/;

/**
 * Splits a shell script into simple commands. Not a shell: enough to see which programs run on which
 * files, which is what guards need. Heredoc bodies are cut out before parsing and handed to their command.
 */
export function parseShell(script: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  const lines = script.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    let heredoc: string | null = null;
    const start = HEREDOC_START.exec(line);
    if (start) {
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && lines[j].trim() !== start[2]; j++) body.push(lines[j]);
      heredoc = body.join('\n');
      line = line.slice(0, start.index) + line.slice(start.index + start[0].length);
      i = j;
    }
    // A line ending in a backslash continues on the next one.
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++i];
    commands.push(...splitLine(line, heredoc));
  }
  return commands;
}

function splitLine(line: string, heredoc: string | null): SimpleCommand[] {
  const entries = parse(line.replace(/(^|\s)#.*$/, '$1'), (name) => `$${name}`);
  const out: SimpleCommand[] = [];
  let current = blank(false);
  const finish = (piped: boolean) => {
    if (current.argv.length > 0) out.push(current);
    current = blank(piped);
  };
  for (let k = 0; k < entries.length; k++) {
    const entry: ParseEntry = entries[k];
    if (typeof entry === 'string') {
      current.argv.push(entry);
      continue;
    }
    if ('comment' in entry) break;
    if ('pattern' in entry) {
      current.argv.push(entry.pattern);
      continue;
    }
    const op = entry.op;
    if (op === '|') finish(true);
    else if (SEPARATORS.has(op)) finish(false);
    else if (op === '>' || op === '>>' || op === '<' || op === '>&' || op === '<(' ) {
      // `2>/dev/null`: the fd number was read as a word of the command.
      const last = current.argv[current.argv.length - 1];
      if (last !== undefined && /^\d$/.test(last)) current.argv.pop();
      const target = entries[k + 1];
      if (typeof target === 'string') {
        k++;
        if (op === '<') current.reads.push(target);
        else if (op !== '>&' && !/^\/dev\/(null|stdout|stderr)$/.test(target) && !/^\d$/.test(target)) {
          current.writes.push(target);
          if (op === '>>') current.appends.push(target);
        }
      }
    }
  }
  finish(false);
  if (heredoc !== null && out.length > 0) out[0].stdinText = heredoc;
  return out;
}

function blank(piped: boolean): SimpleCommand {
  return { argv: [], writes: [], appends: [], reads: [], stdinText: null, piped };
}

const WRAPPERS = new Set(['sudo', 'doas', 'nohup', 'nice', 'time', 'exec', 'command', 'builtin', 'xargs']);

/** The program's base name and arguments, past `sudo -u x`, `env VAR=…`, `nohup`, `timeout N`, `VAR=… cmd`. */
export function programOf(command: SimpleCommand): { program: string; invoked: string; args: string[] } {
  let argv = command.argv;
  while (argv.length > 0) {
    const base = argv[0].split('/').pop() ?? argv[0];
    if (WRAPPERS.has(base)) {
      argv = argv.slice(1);
      // sudo -u user / nice -n 5: options and their values belong to the wrapper.
      while (argv[0]?.startsWith('-')) argv = argv.slice(/^-[ugnCIL]$/.test(argv[0]) ? 2 : 1);
    } else if (base === 'timeout') argv = argv.slice(2);
    else if (base === 'env' && argv.length > 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[1])) argv = argv.slice(1);
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0]) && argv.length > 1) argv = argv.slice(1);
    else return { program: base, invoked: argv[0], args: argv.slice(1) };
  }
  return { program: '', invoked: '', args: [] };
}
