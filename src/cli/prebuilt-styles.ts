import path from 'node:path';
import { writePrebuiltStylesheet } from '../prebuilt-styles.ts';
import { DEFAULT_STYLES } from '../styles.ts';

/**
 * `npm run prebuilt-styles`, for whoever changes the engine's styles/ (or updates Sass): compiles
 * them into src/prebuilt/stylesheet.json, which builds of a project with those very styles use
 * instead of loading Sass (see src/prebuilt-styles.ts). Until it is run, builds compile the styles
 * as before, and npm test notes that the record is out of date.
 */
const root = process.cwd();
await writePrebuiltStylesheet(path.join(root, DEFAULT_STYLES), root);
console.log(`Compiled ${DEFAULT_STYLES} into src/prebuilt/stylesheet.json.`);
