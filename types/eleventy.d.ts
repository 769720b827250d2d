// The part of Eleventy's API that this project uses; Eleventy 3 ships no TypeScript types.
declare module '@11ty/eleventy' {
  export interface EleventyDirectories {
    input: string;
    output: string;
    includes: string;
    layouts?: string;
    data: string;
  }

  export interface UserConfig {
    directories: EleventyDirectories;
    pathPrefix?: string;
    addPlugin<Options>(plugin: (config: UserConfig, options: Options) => void | Promise<void>, options?: Options): void;
    addGlobalData(name: string, data: unknown): UserConfig;
    addTemplate(virtualPath: string, content: unknown, data?: Record<string, unknown>): void;
    addPassthroughCopy(paths: string | Record<string, string>, options?: Record<string, unknown>): UserConfig;
    addWatchTarget(target: string, options?: { resetConfig?: boolean }): void;
    addFilter(name: string, filter: (...args: never[]) => unknown): void;
    addShortcode(name: string, shortcode: (...args: never[]) => unknown): void;
    getFilter(name: string): ((this: unknown, ...args: never[]) => unknown) | undefined;
    setLibrary(engine: string, library: unknown): void;
    setNunjucksEnvironmentOptions(options: Record<string, unknown>): void;
    setFrontMatterParsingOptions(options: Record<string, unknown>): void;
    setServerOptions(options: Record<string, unknown>): void;
    setChokidarConfig(options: Record<string, unknown>): void;
    setQuietMode(quiet: boolean): void;
    setTemplateFormats(formats: string[]): void;
    on(event: string, callback: (...args: never[]) => unknown): void;
    ignores: Set<string>;
  }

  export interface EleventyOptions {
    configPath?: string;
    quietMode?: boolean;
    pathPrefix?: string;
    runMode?: 'build' | 'watch' | 'serve';
    config?: (config: UserConfig) => void;
  }

  export class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions);
    /** Loads the config and finds the templates; write() does it when it was not done. */
    init(): Promise<unknown>;
    write(): Promise<unknown>;
    toJSON(): Promise<Array<{ url: string | false; inputPath: string; outputPath: string | false; content: string }>>;
    watch(): Promise<unknown>;
    serve(port?: number): Promise<void>;
    setIsVerbose(verbose: boolean): void;
  }

  export function HtmlBasePlugin(config: UserConfig, options?: Record<string, unknown>): void;
}
