import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfContent {
  pages: number;
  /** All text, with runs of white space (including line breaks) folded into one space. */
  text: string;
  /** URLs of the link annotations on every page. */
  links: string[];
}

/** Extracts the text and links of a PDF the way a reader's PDF viewer sees them. */
export async function readPdf(bytes: Uint8Array): Promise<PdfContent> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false }).promise;
  const texts: string[] = [];
  const links: string[] = [];
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number);
    const content = await page.getTextContent();
    // Items are runs of one font; pdf.js marks line ends, and puts spaces where the gaps are.
    for (const item of content.items) if ('str' in item) texts.push(item.hasEOL ? `${item.str} ` : item.str);
    texts.push(' ');
    for (const annotation of await page.getAnnotations()) if (typeof annotation.url === 'string') links.push(annotation.url);
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, text: texts.join('').replace(/\s+/g, ' ').trim(), links };
}
