import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  /** Vite names built assets by content hash, so they never change. */
  immutable: boolean;
}

/**
 * The file under `root` that a URL path names, or undefined. Decoded paths are resolved and must stay inside
 * `root`: `..`, encoded slashes and NUL bytes cannot reach anything else. Paths without a file extension are app
 * routes and get index.html.
 */
export async function findStaticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const base = resolve(root);
  const wanted = extname(decoded) === '' ? '/index.html' : decoded;
  const path = resolve(join(base, wanted));
  if (path !== base && !path.startsWith(base + sep)) return undefined;
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return {
      body: await readFile(path),
      contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      immutable: path.startsWith(join(base, 'assets') + sep),
    };
  } catch {
    return undefined;
  }
}
