/** Hashes of the project's engine: `engine` names the compiled engine, `code` is the cache's code version. */
export function sourceVersions(root: string, codeRoot?: string): { engine: string; code: string };

/** Where the project's compiled engines are kept (in node_modules/.cache/, one folder per project). */
export function engineFolder(root: string): string;
