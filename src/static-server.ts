import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
  '.vcf': 'text/vcard; charset=utf-8',
  '.bib': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

/** Where a request path leads on GitHub Pages, before looking at the files. */
export type Route = { redirect: string } | { missing: true } | { file: string };

/**
 * The file a request path asks for, as GitHub Pages maps it: everything lives under the prefix,
 * the prefix without its slash redirects, `/dir/` means `dir/index.html`. `file` is relative to
 * the site folder, with forward slashes; whether it exists (or is a folder) is the caller's to check.
 */
export function route(prefixOption: string, requested: string): Route {
  const prefix = normalisePrefix(prefixOption);
  if (`${requested}/` === prefix) return { redirect: prefix };
  // A backslash is a separator to Windows' file functions, a NUL to none: neither is in a site's paths.
  if (!requested.startsWith(prefix) || /[\\\0]/.test(requested)) return { missing: true };
  const pathname = `/${requested.slice(prefix.length)}`;
  const file = path.posix.normalize(pathname.endsWith('/') ? `${pathname}index.html` : pathname);
  return file.startsWith('/') && !file.startsWith('/..') ? { file: file.slice(1) } : { missing: true };
}

export function normalisePrefix(prefix: string): string {
  return `/${prefix.replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
}

/**
 * Serves a built site on loopback the way GitHub Pages does: under a path
 * prefix (a project site), `/dir/` serves `dir/index.html`, paths are
 * case-sensitive, and a missing file is a 404.
 */
export async function serveFolder(folder: string, options: { headers?: Record<string, string>; prefix?: string } = {}): Promise<StaticServer> {
  const server: Server = createServer(async (request, response) => {
    const requested = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const target = route(options.prefix ?? '/', requested);
    if ('redirect' in target) {
      response.writeHead(301, { location: target.redirect }).end();
      return;
    }
    if ('missing' in target) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const file = path.join(folder, target.file);
    try {
      if ((await stat(file)).isDirectory()) {
        response.writeHead(301, { location: `${requested}/` }).end();
        return;
      }
      const body = await readFile(file);
      response.writeHead(200, { ...options.headers, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
