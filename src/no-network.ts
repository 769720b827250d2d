import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)$/;

/**
 * Runs the build with the network switched off: fetch, http and https refuse
 * any host but this machine, so a plugin or template that reaches out fails
 * loudly instead of making the build depend on someone else's server.
 */
export async function withoutNetwork<T>(work: () => Promise<T>): Promise<T> {
  const original = { fetch: globalThis.fetch, httpRequest: http.request, httpGet: http.get, httpsRequest: https.request, httpsGet: https.get };
  const refuse = (target: string): never => {
    throw new Error(`the build tried to reach ${target}; builds run without network access, so keep everything the site needs in the project`);
  };
  const hostOf = (input: unknown): string => {
    if (typeof input === 'string' || input instanceof URL) return new URL(String(input)).hostname;
    if (input instanceof Request) return new URL(input.url).hostname;
    const options = input as { hostname?: string; host?: string } | undefined;
    return options?.hostname ?? options?.host ?? 'localhost';
  };
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    LOOPBACK.test(hostOf(input)) ? original.fetch(input, init) : refuse(String(input))) as typeof fetch;
  const guard = <F extends (...args: never[]) => unknown>(fn: F): F =>
    ((...args: Parameters<F>) => (LOOPBACK.test(hostOf(args[0])) ? fn(...args) : refuse(String(hostOf(args[0]))))) as F;
  http.request = guard(original.httpRequest);
  http.get = guard(original.httpGet);
  https.request = guard(original.httpsRequest);
  https.get = guard(original.httpsGet);
  syncBuiltinESMExports(); // so that `import { get } from 'node:http'` sees the guard too
  try {
    return await work();
  } finally {
    globalThis.fetch = original.fetch;
    http.request = original.httpRequest;
    http.get = original.httpGet;
    https.request = original.httpsRequest;
    https.get = original.httpsGet;
    syncBuiltinESMExports();
  }
}
