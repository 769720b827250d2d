import type { UserConfig } from '@11ty/eleventy';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { academicSite } from './src/plugin.ts';

// Paths in the plugin's options are relative to this folder, wherever the build runs from.
const root = path.dirname(fileURLToPath(import.meta.url));

export default function (config: UserConfig) {
  config.addPlugin(academicSite, { root });
  return {
    // The input and output folders are given by the build command (src/build.ts) and `npm start`.
    dir: { includes: '../layouts', data: '_data' },
    templateFormats: ['md', 'njk', '11ty.js'],
    markdownTemplateEngine: false,
    // GitHub Pages serves project sites under /<repository>/: the deploy workflow sets PATH_PREFIX.
    pathPrefix: process.env['PATH_PREFIX'] ?? '/',
    htmlTemplateEngine: 'njk',
  };
}
