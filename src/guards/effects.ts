import type { ToolCallAction } from '../core/world.ts';
import { quote } from 'shell-quote';
import { parseShell, programOf, type SimpleCommand } from './shell.ts';

/**
 * What one action does to the world, in the terms guards reason about. A shell line or a tool call is
 * turned into effects once; policy and information-flow guards then decide on effects, not on text.
 */
export type Effect =
  /** File content enters the agent's view (or the next command of a pipe). */
  | { kind: 'read'; path: string }
  /** A file is created or changed; `carries` says the written data came from the pipe or a heredoc. */
  | { kind: 'write'; path: string; carries: 'pipe' | 'text' | 'file' | 'none'; source?: string; text?: string; append?: boolean }
  | { kind: 'delete'; path: string }
  /** Environment variables read: all of them, or those a filter keeps. */
  | { kind: 'env'; filter: string | null }
  /** A credential store is dumped (keyrings, `pass`, `vault kv get`, `kubectl get secret`). */
  | { kind: 'secret-store'; command: string }
  /** Data leaves the machine or a listener opens; `uploads` are files sent, `sendsInput` the pipe's data. */
  | { kind: 'net'; host: string | null; uploads: string[]; sendsInput: boolean; listen: boolean }
  /** A change to the system outside files: scheduling, services, users, firewall, disks, processes, packages. */
  | { kind: 'system'; change: SystemChange; command: string }
  /** Every simple command runs a program. */
  /** `invoked` is the program as written (`./run.sh`, `/usr/local/bin/x`), to find scripts an earlier step wrote. */
  | { kind: 'exec'; program: string; invoked: string; args: string[]; line: string; piped: boolean };

type EnvEffect = Extract<Effect, { kind: 'env' }>;

export type SystemChange =
  | 'schedule' // crontab, at, systemd timers
  | 'service' // systemctl enable, update-rc.d, chkconfig
  | 'account' // useradd, usermod, passwd, visudo
  | 'firewall' // iptables -F / ACCEPT policies, ufw disable, setenforce 0
  | 'disk' // mkfs, wipefs, fdisk, dd to a device, swapoff
  | 'processes' // kill -9 -1, killall, fork bombs
  | 'containers' // docker prune / rm -f
  | 'kernel' // insmod, modprobe, sysctl -w
  | 'packages'; // apt/pip/npm install from the network

const READERS = new Set(['cat', 'head', 'tail', 'less', 'more', 'base64', 'xxd', 'od', 'hexdump', 'strings', 'sha256sum', 'sha1sum', 'md5sum', 'jq', 'yq', 'sort', 'uniq', 'cut', 'tac', 'nl', 'diff', 'cmp', 'source', '.', 'gpg', 'zcat', 'bat']);
const PATTERN_FIRST = new Set(['grep', 'egrep', 'fgrep', 'rg', 'sed', 'awk']);
const COPIERS = new Set(['cp', 'mv', 'install', 'rsync', 'ln']);
const DELETERS = new Set(['rm', 'rmdir', 'shred', 'unlink', 'srm']);
const NET = new Set(['curl', 'wget', 'nc', 'ncat', 'netcat', 'ssh', 'scp', 'sftp', 'ftp', 'telnet', 'socat', 'http', 'https']);
const SECRET_STORES: Record<string, RegExp> = {
  'secret-tool': /^(search|lookup)$/,
  security: /^find-(generic|internet)-password$/,
  pass: /^(show|ls)?$/,
  gopass: /^(show|ls|cat)?$/,
  vault: /^(kv|read)$/,
  kubectl: /^get$/,
  aws: /^(configure|secretsmanager|ssm)$/,
};

/** The effects of one shell line. */
export function shellEffects(script: string): Effect[] {
  const effects: Effect[] = [];
  let previousReads = false;
  let lastEnv: EnvEffect | undefined;
  for (const command of parseShell(script)) {
    const found = commandEffects(command, previousReads && command.piped);
    // `env | grep X` keeps only what X matches: the filter belongs to the env read it narrows.
    const { program, args } = programOf(command);
    if (!command.piped) lastEnv = undefined;
    else if (lastEnv && PATTERN_FIRST.has(program)) lastEnv.filter = args.filter((a) => !a.startsWith('-'))[0] ?? lastEnv.filter;
    lastEnv = found.find((e): e is EnvEffect => e.kind === 'env') ?? lastEnv;
    effects.push(...found);
    previousReads = found.some((e) => e.kind === 'read' || e.kind === 'env' || e.kind === 'secret-store') || (command.piped && previousReads);
  }
  return effects;
}

function commandEffects(command: SimpleCommand, pipedData: boolean): Effect[] {
  const { program, invoked, args } = programOf(command);
  const line = command.argv.join(' ');
  const effects: Effect[] = [{ kind: 'exec', program, invoked, args, line, piped: command.piped }];
  const operands = args.filter((a) => !a.startsWith('-'));
  const carries = command.stdinText !== null ? 'text' : pipedData || READERS.has(program) || program === 'env' || program === 'printenv' ? 'pipe' : 'none';
  for (const path of command.reads) effects.push({ kind: 'read', path });

  if (READERS.has(program)) for (const path of operands) effects.push({ kind: 'read', path });
  else if (PATTERN_FIRST.has(program)) {
    const explicitPattern = args.some((a) => a === '-e' || a === '-f');
    const files = explicitPattern ? operands : operands.slice(1);
    const inPlace = program === 'sed' && args.some((a) => a.startsWith('-i'));
    for (const path of files) effects.push(inPlace ? { kind: 'write', path, carries: 'none' } : { kind: 'read', path });
  } else if (program === 'tee') for (const path of operands) effects.push({ kind: 'write', path, carries: pipedData ? 'pipe' : command.stdinText !== null ? 'text' : 'none' });
  else if (COPIERS.has(program) && operands.length >= 2) {
    const target = operands[operands.length - 1];
    for (const source of operands.slice(0, -1)) {
      if (program !== 'ln') effects.push({ kind: 'read', path: source });
      if (program === 'mv') effects.push({ kind: 'delete', path: source });
      effects.push({ kind: 'write', path: target, carries: 'file', source });
    }
  } else if (DELETERS.has(program)) for (const path of operands) effects.push({ kind: 'delete', path });
  else if (program === 'truncate' || program === 'touch' || program === 'mkdir' || program === 'chmod' || program === 'chown' || program === 'chattr') {
    const targets = program === 'chmod' || program === 'chown' ? operands.slice(1) : operands.filter((a) => !/^\d+[KMG]?$/.test(a));
    for (const path of targets) effects.push({ kind: 'write', path, carries: 'none' });
  } else if (program === 'dd') {
    const get = (key: string) => args.find((a) => a.startsWith(`${key}=`))?.slice(key.length + 1);
    const input = get('if');
    const output = get('of');
    if (input) effects.push({ kind: 'read', path: input });
    if (output) effects.push(output.startsWith('/dev/') ? { kind: 'system', change: 'disk', command: line } : { kind: 'write', path: output, carries: 'file', source: input });
  } else if (program === 'find') {
    if (args.includes('-delete') || findExec(args, DELETERS)) effects.push({ kind: 'delete', path: operands[0] ?? '.' });
    if (findExec(args, READERS)) effects.push({ kind: 'read', path: findNamed(args) });
  } else if ((program === 'env' || program === 'printenv') && operands.length <= (program === 'printenv' ? 1 : 0)) {
    effects.push({ kind: 'env', filter: program === 'printenv' && operands[0] ? operands[0] : null });
  } else if ((program === 'set' && args.length === 0) || (program === 'export' && args.includes('-p')) || (program === 'declare' && args.includes('-x'))) {
    effects.push({ kind: 'env', filter: null });
  } else if (SECRET_STORES[program]?.test(operands[0] ?? '') && (program !== 'kubectl' || /secrets?/.test(operands[1] ?? ''))) {
    effects.push({ kind: 'secret-store', command: line });
  } else if (NET.has(program)) effects.push(netEffect(program, args, pipedData));
  else {
    const change = systemChange(program, args);
    if (change) effects.push({ kind: 'system', change, command: line });
  }
  // Redirections come last: the command's own reads (its sources) happen before its output lands in the file.
  for (const path of command.writes) {
    const text = command.stdinText ?? (program === 'echo' || program === 'printf' ? operands.join(' ') : undefined);
    effects.push({ kind: 'write', path, carries: carries === 'none' && text !== undefined ? 'text' : carries, text, append: command.appends.includes(path) });
  }
  for (const target of [...command.writes, ...command.reads]) {
    const tcp = /^\/dev\/(tcp|udp)\/([^/]+)\//.exec(target);
    if (tcp) effects.push({ kind: 'net', host: tcp[2], uploads: [], sendsInput: true, listen: false });
  }
  return effects;
}

function findExec(args: string[], programs: Set<string>): boolean {
  const at = args.findIndex((a) => a === '-exec' || a === '-execdir');
  return at >= 0 && programs.has((args[at + 1] ?? '').split('/').pop() ?? '');
}

function findNamed(args: string[]): string {
  const at = args.findIndex((a) => a === '-name' || a === '-iname' || a === '-path');
  return at >= 0 ? `**/${args[at + 1]}` : (args[0] ?? '.');
}

function netEffect(program: string, args: string[], pipedData: boolean): Effect {
  const uploads: string[] = [];
  let sendsInput = pipedData && program !== 'ssh';
  let host: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1] ?? '';
    if (/^(-d|--data(-binary|-raw|-urlencode)?|-F|--form|-T|--upload-file|--post-file|--body-file)$/.test(arg)) {
      i++;
      const file = /@(.+)$/.exec(value)?.[1] ?? (arg === '-T' || arg === '--upload-file' || arg === '--post-file' || arg === '--body-file' ? value : undefined);
      if (file === '-') sendsInput = true;
      else if (file) uploads.push(file);
      else sendsInput = true;
      continue;
    }
    const url = /^(?:[a-z]+:\/\/)([^/:?#]+)/i.exec(arg);
    if (url) host = url[1];
    else if (!host && !arg.startsWith('-')) {
      const remote = /^(?:[^@\s]+@)?([A-Za-z0-9.-]+):/.exec(arg);
      if (remote && (program === 'scp' || program === 'rsync' || program === 'sftp')) host = remote[1];
      else if (['nc', 'ncat', 'netcat', 'ssh', 'telnet', 'ftp'].includes(program) && /^[A-Za-z0-9.-]+$/.test(arg) && !/^\d+$/.test(arg)) host = arg.replace(/^[^@]*@/, '');
    }
  }
  if (program === 'scp' || program === 'rsync') {
    const operands = args.filter((a) => !a.startsWith('-'));
    for (const source of operands.slice(0, -1)) if (!source.includes(':')) uploads.push(source);
  }
  const listen = (['nc', 'ncat', 'netcat'].includes(program) && args.some((a) => /^-\w*l/.test(a))) || (program === 'socat' && args.some((a) => /LISTEN/i.test(a)));
  return { kind: 'net', host, uploads, sendsInput, listen };
}

function systemChange(program: string, args: string[]): SystemChange | null {
  const joined = args.join(' ');
  if (program === 'crontab') return args.includes('-l') && args.length === 1 ? null : 'schedule';
  if (program === 'at' || program === 'batch') return 'schedule';
  if (program === 'systemctl') return /^(enable|disable|mask|stop|daemon-reload)\b/.test(joined) ? 'service' : null;
  if (['update-rc.d', 'chkconfig', 'rc-update'].includes(program)) return 'service';
  if (['useradd', 'adduser', 'usermod', 'passwd', 'chpasswd', 'visudo', 'groupadd', 'gpasswd'].includes(program)) return 'account';
  if (program === 'iptables' || program === 'ip6tables') return /(^|\s)(-F|--flush|-X)(\s|$)|-P \S+ ACCEPT/.test(joined) ? 'firewall' : null;
  if (program === 'ufw') return /^(disable|reset)/.test(joined) ? 'firewall' : null;
  if (program === 'setenforce') return joined.trim() === '0' ? 'firewall' : null;
  if (/^mkfs(\.|$)/.test(program) || ['wipefs', 'fdisk', 'parted', 'sfdisk', 'swapoff', 'mkswap'].includes(program)) return 'disk';
  // Killing every process (or every process of a user) is destructive; killing one named process is not.
  if (program === 'killall5' || (program === 'kill' && /(^|\s)-1(\s|$)/.test(joined)) || ((program === 'pkill' || program === 'killall') && /(^|\s)-[uU](\s|$)/.test(joined))) return 'processes';
  // Containers and volumes hold data; dangling images and build cache do not.
  if (program === 'docker' || program === 'podman') return /\b(container prune|volume (rm|prune)|system prune|rm -f|kill)\b/.test(joined) ? 'containers' : null;
  if (['insmod', 'modprobe', 'rmmod'].includes(program) || (program === 'sysctl' && args.includes('-w'))) return 'kernel';
  if (['apt', 'apt-get', 'yum', 'dnf', 'pip', 'pip3', 'npm', 'gem'].includes(program) && /\binstall\b/.test(joined)) return 'packages';
  return null;
}

/** Tool names whose argument is a path read, written or listed, or a command run (workspace and MCP conventions). */
const TOOL_KINDS: Record<string, 'read' | 'write' | 'delete' | 'list' | 'run' | 'http'> = {
  read: 'read', read_file: 'read', read_text_file: 'read', read_multiple_files: 'read', view: 'read', open: 'read',
  write: 'write', write_file: 'write', edit: 'write', edit_file: 'write', create_file: 'write', move_file: 'write', append: 'write',
  delete: 'delete', delete_file: 'delete', remove: 'delete',
  list: 'list', list_directory: 'list', search: 'list', search_files: 'list', glob: 'list', directory_tree: 'list',
  run: 'run', bash: 'run', shell: 'run', exec: 'run', run_command: 'run', terminal: 'run',
  http: 'http', fetch: 'http', http_request: 'http', browse: 'http', goto: 'http',
};

/** The effects of a tool call, by the conventions of workspace and MCP tools (`path`, `command`, `url` arguments). */
export function toolEffects(action: ToolCallAction): Effect[] {
  const kind = TOOL_KINDS[action.tool.toLowerCase()];
  const args = action.args ?? {};
  const paths = ['path', 'file', 'filename', 'source', 'destination', 'target']
    .map((key) => args[key])
    .concat(Array.isArray(args.paths) ? args.paths : [])
    .filter((p): p is string => typeof p === 'string');
  const exec: Effect = { kind: 'exec', program: action.tool, invoked: action.tool, args: [], line: `${action.tool} ${JSON.stringify(args)}`, piped: false };
  switch (kind) {
    case 'read':
      return [exec, ...paths.map((path): Effect => ({ kind: 'read', path }))];
    case 'write':
      return [exec, ...paths.map((path): Effect => ({ kind: 'write', path, carries: 'text' }))];
    case 'delete':
      return [exec, ...paths.map((path): Effect => ({ kind: 'delete', path }))];
    case 'run':
      if (typeof args.command === 'string') return shellEffects(args.command);
      // An argv (the workspace's run_command runs it without a shell): quoted, it is the same one simple command.
      if (Array.isArray(args.command) && args.command.length > 0 && args.command.every((word) => typeof word === 'string')) return argvEffects(args.command as string[]);
      return [exec];
    case 'http': {
      const url = typeof args.url === 'string' ? args.url : '';
      const host = /^(?:[a-z]+:\/\/)?([^/:?#]+)/i.exec(url)?.[1] ?? null;
      const sends = args.body !== undefined || args.data !== undefined || (typeof args.method === 'string' && args.method.toUpperCase() !== 'GET');
      return [exec, { kind: 'net', host, uploads: [], sendsInput: sends, listen: false }];
    }
    default:
      return [exec];
  }
}

const SHELLS = new Set(['bash', 'sh', 'dash', 'zsh']);

/** A program and its arguments run without a shell; a shell given a script (`bash -c "…"`) is judged by the script. */
function argvEffects(argv: readonly string[]): Effect[] {
  const program = argv[0].split('/').pop()!;
  const flag = argv.findIndex((word, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(word));
  if (SHELLS.has(program) && flag > 0 && typeof argv[flag + 1] === 'string') return shellEffects(argv[flag + 1]);
  return shellEffects(quote([...argv]));
}

/** The effects of any action: a tool call, or text that is a shell line. */
export function effectsOf(action: unknown, text: string): Effect[] {
  if (isToolCall(action)) return toolEffects(action);
  return shellEffects(text);
}

export function isToolCall(action: unknown): action is ToolCallAction {
  return typeof action === 'object' && action !== null && typeof (action as ToolCallAction).tool === 'string' && typeof (action as ToolCallAction).args === 'object';
}
