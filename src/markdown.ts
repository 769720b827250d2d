import MarkdownIt from 'markdown-it';
import anchor from 'markdown-it-anchor';
import { slugifyHeading } from './text/slugify.ts';

const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

/**
 * The Markdown renderer for content pages: smart quotes and dashes, raw HTML
 * allowed for the owner's own markup, headings with stable anchors, and HTML
 * comments kept out of the published page.
 */
export function createMarkdown(): MarkdownIt {
  const markdown = new MarkdownIt({ html: true, typographer: true, linkify: false });
  markdown.use(anchor, { slugify: slugifyHeading, tabIndex: false });
  markdown.core.ruler.push('drop_html_comments', (state) => {
    const strip = (tokens: typeof state.tokens): void => {
      for (const token of tokens) {
        if (token.type === 'html_block' || token.type === 'html_inline') token.content = token.content.replace(HTML_COMMENT, '');
        if (token.children !== null) strip(token.children);
      }
    };
    strip(state.tokens);
  });
  return markdown;
}
