// The small part of citation-js that src/bibliography/csl-format.ts uses; the package ships no types.
declare module '@citation-js/core' {
  export class Cite {
    constructor(data: unknown[]);
    format(kind: 'bibliography', options: { format: 'html' | 'text'; template: string; lang: string; asEntryArray?: boolean }): unknown;
  }
  export const plugins: {
    config: { get(name: '@csl'): { styles: { add(name: string, xml: string): void; has(name: string): boolean; get(name: string): string } } };
  };
}
declare module '@citation-js/plugin-csl';
