import { asSubscript, asSuperscript } from './math.ts';

// Chemical formulae written with mhchem's \ce, which chemists put in titles ("\ce{CO2} reduction",
// "\ce{SO4^{2-}}"), as Unicode: the parser knows no \ce and would show "CO2" with a warning.
// Only read-bibtex.ts uses this.

/** `\ce{...}`, with one level of braces inside (`\ce{Fe^{3+}}`). */
const CE = /\\ce\s*\{((?:[^{}]|\{[^{}]*\})*)\}/g;
const ARROWS: ReadonlyArray<[RegExp, string]> = [[/\s*<=>\s*/g, ' ⇌ '], [/\s*<->\s*/g, ' ↔ '], [/\s*->\s*/g, ' → '], [/\s*<-\s*/g, ' ← ']];

/** A value with each `\ce{...}` written out: "CO₂", "H₂SO₄", "Fe³⁺", "SO₄²⁻", "2H₂ + O₂ → 2H₂O". */
export function withChemistry(value: string): string {
  return value.includes('\\ce') ? value.replace(CE, (whole, formula: string) => chemistry(formula) ?? whole) : value;
}

/** The formula in Unicode, or undefined when it holds what this does not read (a command, math). */
function chemistry(formula: string): string | undefined {
  if (/[\\$]/.test(formula)) return undefined;
  const scripted = ARROWS.reduce((text, [arrow, written]) => text.replace(arrow, written), formula)
    // An adduct's or a hydrate's dot: KCr(SO4)2*12H2O, CuSO4.5H2O, CaCl2.H2O; a dot between
    // digits is otherwise a decimal point (LiNi0.8Co0.1Mn0.1O2).
    .replace(/(?<=[\w)\]])(?:\*|(?<!\.\d+)\.(?=\d+(?:\.\d+)?H2O|[A-Z(]))/g, '·')
    // Explicit scripts: ^{2-}, ^3+, ^-, _{2}, _{0.8}.
    .replace(/\^\{([^{}]*)\}|\^(\d*[+-]|\d+)/g, (whole, braced: string | undefined, bare: string | undefined) => asSuperscript(braced ?? bare ?? '') ?? whole)
    .replace(/_\{([^{}]*)\}|_(\w)/g, (whole, braced: string | undefined, bare: string | undefined) => subscriptNumber(braced ?? bare ?? '') ?? whole)
    // A count after an element or a bracket is a subscript (a species' leading number is its coefficient).
    .replace(/(?<=[A-Za-z)\]])\d+(?:\.\d+)?/g, (count: string) => subscriptNumber(count) ?? count)
    // A charge after an element, a count or a bracket, ending the species: Li+, OH-, Na+(aq).
    .replace(/(?<=[A-Za-z)\]₀-₉])([+-])(?=\s|$|[)\](/,])/g, (charge: string) => asSuperscript(charge) ?? charge);
  return /[{}^_]/.test(scripted) ? undefined : scripted;
}

/** A count in subscripts, its decimal point as it is (Ni₀.₈). */
function subscriptNumber(count: string): string | undefined {
  const [whole, fraction] = count.split('.');
  const digits = asSubscript(whole ?? '');
  if (fraction === undefined || digits === undefined) return digits;
  const decimals = asSubscript(fraction);
  return decimals === undefined ? undefined : `${digits}.${decimals}`;
}
