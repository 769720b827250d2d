/** Hashes of the project's engine: `engine` names the compiled engine, `code` is the cache's code version. */
export function sourceVersions(root: string, codeRoot?: string): { engine: string; code: string };

/** Where the project's compiled engines are kept (.cache/academic-homepage/engine/). */
export function engineFolder(root: string): string;

/** engineFolder's path within a project. */
export const ENGINE_FOLDER: string;
