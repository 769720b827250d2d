// The part of fontkit that src/cv/pdf.ts uses.
declare module 'fontkit' {
  export function openSync(path: string): unknown;
}
