import { readFileSync } from 'node:fs';
import { dirname, posix, resolve } from 'node:path';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../core/errors.ts';
import type { SystemChange } from './effects.ts';

const SYSTEM_CHANGES = ['schedule', 'service', 'account', 'firewall', 'disk', 'processes', 'containers', 'kernel', 'packages'] as const satisfies readonly SystemChange[];

/** A guard policy as written in a YAML or JSON file (docs/guards.md). Paths may use `~` and globs. */
export const policySchema = z
  .object({
    /** The folder the agent works in; relative paths resolve against it. */
    workspace: z.string().default('.'),
    /** Home folder that `~` stands for. */
    home: z.string().default('/root'),
    /** Folders outside the workspace that may be written freely (scratch space). */
    scratch: z.array(z.string()).default(['/tmp', '/var/tmp']),
    /** Paths whose content is secret: reading them starts an information flow the flow guard follows. */
    sensitive: z.array(z.string()).default([]),
    /** Paths no step may write, delete or change the mode of (autostart files, credentials, system config). */
    protect: z.array(z.string()).default([]),
    /** What a step may do outside the workspace and the scratch folders. */
    outside: z.object({ write: z.enum(['allow', 'deny']).default('deny'), delete: z.enum(['allow', 'deny']).default('deny') }).default({ write: 'deny', delete: 'deny' }),
    /** Kinds of system change that are denied. */
    system: z.object({ deny: z.array(z.enum(SYSTEM_CHANGES)).default([]) }).default({ deny: [] }),
    commands: z
      .object({
        /** Programs allowed to run; empty means any program not denied. */
        allow: z.array(z.string()).default([]),
        /** Command lines denied, as globs over `program args…` (e.g. `rm -rf /*`, `chmod +s *`). */
        deny: z.array(z.string()).default([]),
      })
      .default({ allow: [], deny: [] }),
    hosts: z
      .object({
        /** Hosts the agent may reach; `*` for any. */
        allow: z.array(z.string()).default(['*']),
        deny: z.array(z.string()).default([]),
        /** Opening a listening socket (a backdoor shell, a reverse tunnel). */
        listen: z.enum(['allow', 'deny']).default('deny'),
      })
      .default({ allow: ['*'], deny: [], listen: 'deny' }),
    /** Secret data shown in the agent's own transcript (sent to the model and the user) counts as a sink. */
    transcriptIsSink: z.boolean().default(true),
  })
  .strict();

export type PolicyFile = z.input<typeof policySchema>;
export type Policy = z.output<typeof policySchema>;

/** The policy stepwise uses when none is given: workstation secrets, autostart locations, destructive system changes. */
export const DEFAULT_POLICY: PolicyFile = {
  sensitive: [
    '~/.ssh/id_*', '~/.ssh/*_key', '**/*.pem', '**/*.key', '**/.env', '**/.env.local', '**/.env.production', '/etc/shadow', '/etc/gshadow',
    '~/.aws/credentials', '~/.kube/config', '~/.docker/config.json', '~/.netrc', '~/.pgpass', '~/.git-credentials',
    '~/.npmrc', '~/.pypirc', '~/.mozilla/**/logins.json', '~/.mozilla/**/key4.db', '~/.config/google-chrome/**/Login Data',
    '~/.local/share/keyrings/**', '~/.gnupg/**', '~/.bash_history', '~/.zsh_history', '/proc/*/environ', '**/*credential*', '**/*secret*',
    '**/license.key', '**/product.serial',
  ],
  protect: [
    '~/.ssh/authorized_keys', '~/.ssh/authorized_keys2', '/root/.ssh/**', '/etc/cron*', '/etc/cron*/**', '/var/spool/cron/**', '/etc/systemd/**',
    '~/.config/systemd/**', '/lib/systemd/**', '/etc/init.d/**', '/etc/rc.local', '/etc/rc*.d/**', '/etc/profile', '/etc/profile.d/**',
    '/etc/bash.bashrc', '~/.bashrc', '~/.bash_profile', '~/.profile', '~/.bash_logout', '~/.zshrc', '/etc/sudoers', '/etc/sudoers.d/**',
    '/etc/passwd', '/etc/shadow', '/etc/group', '/etc/ld.so.preload', '/etc/apt/apt.conf.d/**', '/etc/yum/pluginconf.d/**',
    '/usr/share/libalpm/hooks/**', '/etc/fstab', '/etc/hosts', '/boot/**', '**/.git/hooks/*', '/usr/local/bin/**', '/usr/bin/**', '/bin/**',
    '/sbin/**', '/usr/sbin/**', '/var/log/**', '/etc/ssh/**', '/etc/pam.d/**',
  ],
  system: { deny: ['schedule', 'service', 'account', 'firewall', 'disk', 'processes', 'containers', 'kernel'] },
  // Deleting outside the workspace is denied by `outside` already; these are harmful wherever they point.
  commands: { deny: ['rm -rf /', 'rm -rf ~', 'chmod +s *', 'chmod u+s *', 'chmod 4755 *', 'chmod 777 /', 'history -c', ':(){ :|:& };:'] },
};

/** A policy compiled for fast checks: path matchers resolved against the workspace and home. */
export interface CompiledPolicy {
  readonly source: Policy;
  /** The workspace as an absolute path. */
  readonly workspace: string;
  resolve(path: string, cwd: string): string;
  isSensitive(path: string): boolean;
  isProtected(path: string): boolean;
  /** Inside the workspace or a scratch folder. */
  isFree(path: string): boolean;
  deniedCommand(line: string): string | null;
  allowedProgram(program: string): boolean;
  hostAllowed(host: string): boolean;
}

/** `cwd` is what a relative `workspace` is relative to (the policy file's folder, or the working folder). */
export function compilePolicy(file: PolicyFile = DEFAULT_POLICY, origin = 'the policy', cwd = process.cwd()): CompiledPolicy {
  const parsed = policySchema.safeParse(file);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`).join('; ');
    throw new UsageError(`${origin} is not a valid guard policy: ${problems}`, { hint: 'see docs/guards.md for the fields (workspace, sensitive, protect, outside, system, commands, hosts)' });
  }
  const policy = parsed.data;
  const home = policy.home;
  const workspace = posix.resolve(cwd, policy.workspace.replace(/^~(?=\/|$)/, home));
  const expand = (glob: string) => {
    const full = glob.replace(/^~(?=\/|$)/, home);
    return full.startsWith('/') || full.startsWith('**') ? full : posix.join(workspace, full);
  };
  const matcher = (globs: string[]) => {
    const expanded = globs.map(expand);
    const match = expanded.length ? picomatch(expanded, { dot: true }) : () => false;
    return (path: string) => match(path);
  };
  const sensitive = matcher(policy.sensitive);
  const protect = matcher(policy.protect);
  const free = [workspace, ...policy.scratch.map(expand)];
  const commandDeny = policy.commands.deny.map((glob) => ({ glob, test: picomatch(glob, { dot: true, bash: true }) }));
  const hostMatch = (globs: string[]) => (globs.includes('*') ? () => true : picomatch(globs));
  const allowHost = hostMatch(policy.hosts.allow);
  const denyHost = policy.hosts.deny.length ? picomatch(policy.hosts.deny) : () => false;
  return {
    source: policy,
    workspace,
    resolve(path, cwd) {
      const full = path.replace(/^~(?=\/|$)/, home).replace(/^\$HOME(?=\/|$)/, home);
      return posix.resolve(cwd, full);
    },
    isSensitive: sensitive,
    isProtected: protect,
    isFree: (path) => free.some((folder) => path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`)),
    deniedCommand(line) {
      const normal = line.replace(/\s+/g, ' ').trim();
      return commandDeny.find((rule) => rule.test(normal))?.glob ?? null;
    },
    allowedProgram: (program) => policy.commands.allow.length === 0 || policy.commands.allow.includes(program),
    hostAllowed: (host) => allowHost(host) && !denyHost(host),
  };
}

/**
 * A policy file's fields, read and checked, with its workspace made absolute (relative to the file's folder), so
 * the fields alone rebuild the same policy anywhere: what `stepwise run --policy` records in a run's recipe.
 */
export function readPolicyFile(path: string): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the guard policy ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { hint: 'pass --policy <policy.yaml>; docs/guards.md has an example' });
  }
  let file: unknown;
  try {
    file = parseYaml(text);
  } catch (error) {
    throw new UsageError(`the guard policy ${path} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof file !== 'object' || file === null || Array.isArray(file)) throw new UsageError(`the guard policy ${path} must be a mapping of fields (workspace, sensitive, protect, …)`, { hint: 'see docs/guards.md' });
  const fields = file as PolicyFile;
  // Checked here, so a bad policy is refused before anything runs; the error names the file and the field.
  const compiled = compilePolicy(fields, `the guard policy ${path}`, dirname(resolve(path)));
  return { ...fields, workspace: compiled.workspace };
}

/** Reads a policy from a YAML or JSON file, with errors that name the file and the field. */
export function loadPolicy(path: string, overrides: Partial<PolicyFile> = {}): CompiledPolicy {
  return compilePolicy({ ...readPolicyFile(path), ...overrides }, `the guard policy ${path}`, dirname(resolve(path)));
}
