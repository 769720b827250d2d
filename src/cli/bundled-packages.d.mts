/** A file of node_modules bundled into the engine: its path, size and time when it was bundled. */
export type BundledPackageFile = [file: string, size: number, mtimeMs: number];

/** Packages the engine imports without bundling them. */
export const EXTERNAL_PACKAGES: string[];

/** Whether every file of node_modules bundled into the engine is still the one it was made from. */
export function packagesUnchanged(files: readonly BundledPackageFile[]): boolean;

/** The package a path in node_modules belongs to (`@scope/name` or `name`), if any. */
export function packageOf(file: string): string | undefined;

/** An esbuild plugin: modules the engine never calls become stand-ins that load them at their first call. */
export const loadedAtFirstCall: import('esbuild').Plugin;

/** A bundled package's source, changed where it relies on being the file it was in node_modules; undefined when nothing needs changing. */
export function packageSource(file: string, source: string): string | undefined;
