/**
 * Realistic bibliographies of any size from a fixed seed: every entry type,
 * accents written in LaTeX and in UTF-8, particles and suffixes, math in
 * titles, @string macros, month macros, crossref children of proceedings.
 */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN = ['Anastassios', 'Jos{\\\'e}', 'Ren{\\\'e}e', 'J{\\"o}rg', 'Łukasz', 'Ji-woo', 'Søren', 'Γιώργος', 'Maria', 'Nectarios', 'Fran{\\c{c}}ois', 'Anton{\\\'\\i}n', 'Wei', 'Aoife'];
const FAMILY = ['Nanos', 'Koziris', 'Mart{\\\'\\i}nez', 'van der Berg', 'de la Fontaine', 'M{\\"u}ller', 'Dvo{\\v{r}}{\\\'a}k', 'Παπαδόπουλος', 'Smith, Jr.', 'O\'Neil', 'Kj{\\ae}rgaard', 'Zhang', 'Ng'];
const WORDS = ['Efficient', 'I/O', 'Virtualization', 'for', '{HPC}', 'Clusters', 'Scalable', 'Storage', 'in', 'the', '{Cloud}', 'Message', 'Passing', 'over', '{Myrinet}', 'Low-latency', 'Networks', 'with', 'Hypervisors', '$O(n^2)$', '$10\\times$', 'Unikernels', 'Microservers', '{\\"U}ber', 'na{\\"\\i}ve', 'Scheduling'];
const TYPES = ['article', 'inproceedings', 'inproceedings', 'article', 'incollection', 'book', 'phdthesis', 'mastersthesis', 'techreport', 'misc', 'unpublished'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function generateBibliography(count: number, seed = 20261125): string {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const lines: string[] = [
    '% Generated for benchmarks: realistic, not real.',
    '@string{acm = "Association for Computing Machinery"}',
    '@string{ieee = {IEEE}}',
    '',
  ];
  const proceedings: string[] = [];
  for (let index = 0; index < count; index++) {
    const year = 1995 + Math.floor(random() * 31);
    const key = `gen${index}${pick(['', 'a', 'b'])}${year}`;
    if (index % 50 === 0) {
      const parent = `proc${index}`;
      proceedings.push(parent);
      lines.push(`@proceedings{${parent},`, `  title = {Proceedings of the ${index}th Workshop on Systems},`, `  booktitle = {Proceedings of the ${index}th Workshop on Systems},`, `  publisher = acm,`, `  year = {${year}},`, '}', '');
      continue;
    }
    const type = pick(TYPES);
    const authors = Array.from({ length: 1 + Math.floor(random() * 5) }, () => {
      const family = pick(FAMILY);
      return family.includes(',') ? `${family.split(',')[0]}, Jr., ${pick(GIVEN)}` : `${family}, ${pick(GIVEN)}`;
    });
    if (random() < 0.05) authors.push('others');
    const title = Array.from({ length: 4 + Math.floor(random() * 8) }, () => pick(WORDS)).join(' ');
    const fields: string[] = [`  author = {${authors.join(' and ')}}`, `  title = {${title}}`, `  year = {${year}}`, `  month = ${pick(MONTHS)}`];
    if (type === 'article') fields.push(`  journal = {Journal of ${pick(['Systems', 'Parallel', 'Cloud'])} Computing}`, `  volume = {${1 + Math.floor(random() * 40)}}`, `  number = {${1 + Math.floor(random() * 12)}}`);
    if (type === 'inproceedings') {
      if (proceedings.length > 0 && random() < 0.3) fields.push(`  crossref = {${pick(proceedings)}}`);
      else fields.push(`  booktitle = {Proceedings of the {${pick(['ACM', 'IEEE', 'USENIX'])}} Conference on ${pick(['Systems', 'Networking', 'Storage'])}}`, '  publisher = ieee');
    }
    if (type === 'incollection') fields.push('  booktitle = {Handbook of Cloud Computing}', '  publisher = {Springer}');
    if (type === 'book') fields.push('  publisher = {MIT Press}', '  address = {Cambridge, MA}');
    if (type.endsWith('thesis')) fields.push('  school = {National Technical University of Athens}');
    if (type === 'techreport') fields.push('  institution = {CSLab}', `  number = {TR-${year}-${index}}`);
    if (type === 'misc') fields.push(`  howpublished = {${pick(['Poster', 'Invited talk', 'arXiv preprint'])}, ${pick(['Paris', 'Delft', 'Athens'])}}`);
    if (random() < 0.6) fields.push(`  pages = {${100 + index}--${110 + index}}`);
    if (random() < 0.7) fields.push(`  doi = {10.${1000 + Math.floor(random() * 8000)}/gen.${index}}`);
    if (random() < 0.3) fields.push(`  abstract = {${Array.from({ length: 40 }, () => pick(WORDS)).join(' ')}.}`);
    lines.push(`@${type}{${key}-${index},`, `${fields.join(',\n')},`, '}', '');
  }
  return lines.join('\n');
}
