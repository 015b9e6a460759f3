import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findStaticFile } from '../../view/static-files.ts';

/** A static file server on 127.0.0.1 for one folder of task pages. */
export interface PageServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves `root` on a free port of 127.0.0.1 (the only address the browser's worlds may load). */
export async function startPageServer(root: string): Promise<PageServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    findStaticFile(root, path).then(
      (file) => {
        if (!file) {
          response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`no page ${path}`);
          return;
        }
        // Pages must load the same way on every re-execution: no caching between worlds.
        response.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store' }).end(file.body);
      },
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
