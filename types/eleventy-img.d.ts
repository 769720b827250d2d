// The part of @11ty/eleventy-img that src/images.ts uses; the package ships no types.
declare module '@11ty/eleventy-img' {
  export interface ImageFormatStats {
    format: string;
    width: number;
    height: number;
    url: string;
    sourceType: string;
    srcset: string;
    outputPath: string;
    size: number;
  }
  export interface ImageOptions {
    widths?: Array<number | 'auto' | null>;
    formats?: string[];
    outputDir?: string;
    urlPath?: string;
    sharpJpegOptions?: Record<string, unknown>;
    sharpWebpOptions?: Record<string, unknown>;
    sharpAvifOptions?: Record<string, unknown>;
    filenameFormat?: (id: string, src: string, width: number, format: string) => string;
    useCache?: boolean;
  }
  function Image(src: string, options?: ImageOptions): Promise<Record<string, ImageFormatStats[]>>;
  export default Image;
}
