import path from 'node:path';
import { buildSite } from '../build.ts';
import { SiteInputError, StrictModeError } from '../errors.ts';

const started = performance.now();
try {
  const configPath = process.env['ACADEMIC_HOMEPAGE_CONFIG'];
  const { output } = await buildSite({ root: process.cwd(), strict: process.argv.includes('--strict'), ...(configPath === undefined ? {} : { configPath }) });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`Built the site in ${seconds} s into ${path.relative(process.cwd(), output)}/. Preview it with \`npm start\` at http://localhost:8080/ (links start at the site's root, so opening the files directly does not work).`);
} catch (error) {
  if (error instanceof StrictModeError) {
    console.error(`Build failed (--strict turns warnings into errors): ${error.message}`);
  } else if (error instanceof SiteInputError) {
    console.error(`Build failed: ${error.message}`);
  } else {
    console.error('Build failed:', error);
  }
  console.error('The previous _site/ (if any) was left unchanged.');
  process.exitCode = 1;
}
