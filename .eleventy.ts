import type { UserConfig } from '@11ty/eleventy';
import { academicSite } from './src/plugin.ts';

export default function (config: UserConfig) {
  config.addPlugin(academicSite);
  return {
    dir: { input: 'content', includes: '../layouts', data: '_data' },
    templateFormats: ['md', 'njk', '11ty.js'],
    markdownTemplateEngine: false,
    htmlTemplateEngine: 'njk',
  };
}
