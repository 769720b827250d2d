import path from 'node:path';
import { buildSite, builtMessage } from '../build.ts';
import { BuildEnvironmentError, SiteInputError, StrictModeError } from '../errors.ts';

const started = performance.now();
try {
  const configPath = process.env['ACADEMIC_HOMEPAGE_CONFIG'];
  const { output } = await buildSite({ root: process.cwd(), strict: process.argv.includes('--strict'), ...(configPath === undefined ? {} : { configPath }) });
  console.log(builtMessage((performance.now() - started) / 1000, path.relative(process.cwd(), output), process.env['PATH_PREFIX']));
} catch (error) {
  if (error instanceof StrictModeError) {
    console.error(`Build failed (--strict turns warnings into errors): ${error.message}`);
  } else if (error instanceof SiteInputError || error instanceof BuildEnvironmentError) {
    // The owner's to mend, said in full by the message: a stack would only hide it.
    console.error(`Build failed: ${error.message}`);
  } else {
    console.error('Build failed:', error);
  }
  console.error('The previous _site/ (if any) was left unchanged.');
  process.exitCode = 1;
}
