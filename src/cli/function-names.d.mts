/** A bundle's code as esbuild wrote it with `keepNames`, without the helper calls that change nothing; undefined when it cannot be read with certainty. */
export function nativeFunctionNames(code: string): string | undefined;

/** Rewrites the bundle's files in a folder with nativeFunctionNames, each only if esbuild reads the result again. */
export function nativeFunctionNamesIn(folder: string): Promise<void>;
