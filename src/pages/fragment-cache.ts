import { hashOf, type DiskCache } from '../cache.ts';

/**
 * Rendered pieces of pages (a publication in a list), or what was read from a page (its links),
 * under a hash of everything they depend on, kept
 * from one build to the next in memory (npm start) and in the cache (npm run build). A list of
 * thousands of publications, shown on three pages, is then rendered once, and after that only
 * for the entries that changed. What a build did not use is dropped when it saves.
 */
export class FragmentCache<T = string> {
  #previous = new Map<string, T>();
  #current = new Map<string, T>();
  #loading: Promise<void> | undefined;
  #rendered = 0;

  constructor(
    private readonly disk: DiskCache,
    private readonly kind: string,
  ) {}

  async get(key: string, render: () => Promise<T> | T): Promise<T> {
    let html = this.#current.get(key);
    if (html !== undefined) return html;
    await (this.#loading ??= this.#load());
    html = this.#previous.get(key);
    if (html === undefined) {
      html = await render();
      this.#rendered++;
    }
    this.#current.set(key, html);
    return html;
  }

  /** Ends a build: keeps what it used, in memory and, if that changed, in the cache. */
  async save(): Promise<void> {
    const changed = this.#rendered > 0 || this.#current.size !== this.#previous.size;
    if (this.#loading !== undefined && changed) await this.disk.set(this.kind, hashOf(this.kind), Object.fromEntries(this.#current), this.kind);
    if (this.#loading !== undefined) this.#previous = this.#current;
    this.#current = new Map();
    this.#rendered = 0;
  }

  async #load(): Promise<void> {
    if (this.#previous.size > 0) return;
    const stored = await this.disk.get<Record<string, T>>(this.kind, hashOf(this.kind), this.kind);
    if (stored !== undefined) this.#previous = new Map(Object.entries(stored));
  }
}
