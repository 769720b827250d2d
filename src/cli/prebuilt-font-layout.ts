import { writePrebuiltLayout } from '../cv/prebuilt-layout.ts';

/**
 * `npm run prebuilt-font-layout`, for whoever updates fontkit (or a package it uses) or the DejaVu
 * fonts, or changes src/cv/pair-layout.ts or prebuilt-layout.ts: asks fontkit about every character and pair of the main font's faces
 * that the CV PDF lays out itself, into src/prebuilt/main-font-layout.json (see
 * src/cv/prebuilt-layout.ts). Until it is run, the PDF asks fontkit as it goes, and npm test fails.
 */
writePrebuiltLayout();
console.log('Wrote src/prebuilt/main-font-layout.json.');
