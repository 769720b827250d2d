import path from 'node:path';
import { checkLinks } from '../link-check.ts';
import { pathPrefixProblem } from '../site/environment.ts';

// `npm run check`: after a build, follow every internal link of _site/ under PATH_PREFIX.
const site = path.resolve(process.argv[2] ?? '_site');
const prefix = process.env['PATH_PREFIX'] ?? '/';
const prefixProblem = pathPrefixProblem(prefix);
if (prefixProblem !== undefined) {
  console.error(prefixProblem);
  process.exit(1);
}
const report = await checkLinks(site, prefix);
console.log(`Checked ${report.checked} internal addresses from ${report.pages} pages and stylesheets under ${prefix}.`);
if (report.external.length > 0) {
  console.log(`${report.external.length} links to other sites (not checked: no network during builds):`);
  for (const url of report.external) console.log(`  ${url}`);
}
if (report.broken.length > 0) {
  console.error(`${report.broken.length} broken:`);
  for (const problem of report.broken) console.error(`  ${problem}`);
  process.exitCode = 1;
} else {
  console.log('No broken internal links.');
}
