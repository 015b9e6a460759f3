import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A path the agent named that is not inside its workspace (absolute elsewhere, `..`, or a symlink leading out). */
export class OutsideWorkspace extends Error {}

/**
 * Resolves `path` (relative to the workspace, or under /workspace) to a real path inside `root`, following
 * symlinks of every existing part: a link that leads outside is refused like `../` is.
 */
export async function insideWorkspace(root: string, path: string): Promise<string> {
  const relativePath = path === '/workspace' ? '.' : path.startsWith('/workspace/') ? path.slice('/workspace/'.length) : path;
  if (isAbsolute(relativePath)) throw new OutsideWorkspace(`${path} is outside the workspace (paths are relative to it)`);
  const realRoot = await realpath(root);
  const target = resolve(realRoot, relativePath);
  if (!within(realRoot, target)) throw new OutsideWorkspace(`${path} is outside the workspace`);
  // The deepest existing part decides where the path really leads.
  let existing = target;
  const rest: string[] = [];
  for (;;) {
    try {
      await lstat(existing);
      break;
    } catch {
      rest.unshift(existing.slice(existing.lastIndexOf(sep) + 1));
      existing = resolve(existing, '..');
    }
  }
  const real = resolve(await realpath(existing), ...rest);
  if (!within(realRoot, real)) throw new OutsideWorkspace(`${path} leads outside the workspace (through a symbolic link)`);
  return real;
}

function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The workspace-relative form of a real path inside it, with forward slashes. */
export function workspacePath(realRoot: string, path: string): string {
  return relative(realRoot, path).split(sep).join('/') || '.';
}
