// The small part of citation-js that src/bibliography/parse-bibtex.ts uses; the package ships no types.
declare module '@citation-js/core' {
  export interface CslName {
    given?: string;
    family?: string;
    literal?: string;
    'non-dropping-particle'?: string;
    'dropping-particle'?: string;
    suffix?: string;
  }
  export interface CslDate {
    'date-parts'?: Array<Array<number | string>>;
    literal?: string;
    raw?: string;
  }
  export interface CslItem {
    id: string;
    type: string;
    'citation-key'?: string;
    title?: string;
    author?: CslName[];
    editor?: CslName[];
    issued?: CslDate;
    'container-title'?: string;
    'collection-title'?: string;
    publisher?: string;
    'publisher-place'?: string;
    'event-title'?: string;
    genre?: string;
    volume?: string | number;
    issue?: string | number;
    page?: string;
    DOI?: string;
    URL?: string;
    [field: string]: unknown;
  }
  export const plugins: {
    input: {
      chain(input: string, options: { forceType?: string; generateGraph?: boolean; target?: string }): CslItem[];
    };
  };
}
declare module '@citation-js/plugin-bibtex';
