import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, realpathSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import { StepwiseError } from '../../core/errors.ts';

/** A command could not be run in the sandbox at all (bubblewrap missing, a program the task does not allow). */
export class SandboxError extends StepwiseError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super('sandbox', message, options);
  }
}

/** Where the task's folder is mounted inside the sandbox: the same path in every branch, so outputs do not name a branch's copy. */
export const SANDBOX_WORKSPACE = '/workspace';
/** Where a task's hidden check files are mounted, read-only. */
export const SANDBOX_CHECK = '/check';
/** Where a program is bound when its own folder lies under one of the two mounts above. */
const SANDBOX_PROGRAM = '/.stepwise-program';

export interface SandboxRun {
  argv: readonly string[];
  /** The folder mounted writable at /workspace. */
  workspace: string;
  /** Mounted read-only at /check (the goal check's own files). */
  checkDir?: string;
  timeoutMs: number;
  /** Bytes of stdout plus stderr kept; past it the command is killed. */
  outputLimit: number;
  signal?: AbortSignal;
}

export interface SandboxResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The command printed more than the limit and was killed. */
  overflow: boolean;
  durationMs: number;
}

let bwrapPath: string | null | undefined;

/** The bubblewrap binary, or a SandboxError saying how to install it. */
export function requireBubblewrap(): string {
  bwrapPath ??= findOnPath('bwrap');
  if (!bwrapPath) {
    throw new SandboxError('the workspace environment runs commands in bubblewrap (bwrap), which is not installed', {
      hint: 'install it: apt-get install bubblewrap (Debian/Ubuntu), dnf install bubblewrap (Fedora)',
    });
  }
  return bwrapPath;
}

/** The absolute path of an executable on this machine's PATH, or null. */
export function findOnPath(program: string): string | null {
  if (program.includes('/')) return null;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/**
 * The bubblewrap arguments: the system's /usr and /etc read-only, a private /tmp, /dev and /proc, no network
 * (`--unshare-all`), the workspace the only writable bind, and nothing else of the host (no /home, /root, /work).
 */
export function bwrapArgs(run: SandboxRun, program: string): string[] {
  const args = ['--unshare-all', '--die-with-parent', '--new-session', '--clearenv', '--setenv', 'PATH', '/usr/local/bin:/usr/bin:/bin', '--setenv', 'HOME', '/tmp', '--setenv', 'LANG', 'C.UTF-8'];
  args.push('--ro-bind', '/usr', '/usr', '--ro-bind', '/etc', '/etc', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp');
  for (const top of ['/bin', '/sbin', '/lib', '/lib64', '/lib32']) {
    if (!existsSync(top)) continue;
    // Debian's merged /usr makes these symlinks; a real folder is bound as it is.
    if (lstatSync(top).isSymbolicLink()) args.push('--symlink', realpathSync(top), top);
    else args.push('--ro-bind', top, top);
  }
  // The program's own folder is bound where it is, unless the workspace or check mount would hide it there (a
  // checkout under /check, say): then it is bound at a place of its own.
  const programDir = dirname(program);
  const hidden = [SANDBOX_WORKSPACE, SANDBOX_CHECK].some((mount) => programDir === mount || programDir.startsWith(`${mount}/`));
  const boundDir = hidden ? SANDBOX_PROGRAM : programDir;
  if (!programDir.startsWith('/usr/')) args.push('--ro-bind', programDir, boundDir);
  args.push('--bind', run.workspace, SANDBOX_WORKSPACE);
  if (run.checkDir) args.push('--ro-bind', run.checkDir, SANDBOX_CHECK);
  args.push('--chdir', SANDBOX_WORKSPACE, '--', join(boundDir, basename(program)), ...run.argv.slice(1));
  return args;
}

/** Runs one command in the sandbox with a time and output limit; never throws for the command's own failure. */
export function runSandboxed(run: SandboxRun): Promise<SandboxResult> {
  const bwrap = requireBubblewrap();
  const resolved = findOnPath(run.argv[0]);
  if (!resolved) throw new SandboxError(`the program ${JSON.stringify(run.argv[0])} is not installed on this machine`, { hint: 'allow a program found on PATH' });
  const program = realpathSync(resolved);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(bwrap, bwrapArgs(run, program), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let kept = 0;
    let timedOut = false;
    let overflow = false;
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      const room = run.outputLimit - kept;
      if (room <= 0) return;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      into.push(part);
      kept += part.length;
      if (chunk.length > room) {
        overflow = true;
        kill();
      }
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, run.timeoutMs);
    const onAbort = () => kill();
    run.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new SandboxError(`bubblewrap could not start: ${error.message}`, { hint: 'check that bwrap runs here: bwrap --ro-bind / / true', cause: error }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      resolve({
        exitCode: code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        overflow,
        durationMs: performance.now() - started,
      });
    });
  });
}
