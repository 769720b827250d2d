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
    // A hydrate's or an adduct's dot: CuSO4.5H2O, CuSO4*5H2O.
    .replace(/(?<=[\w)\]])[.*](?=\d*[A-Z(])/g, '·')
    // Explicit scripts: ^{2-}, ^3+, _{2}.
    .replace(/\^\{([^{}]*)\}|\^([^\s{}]+?)(?=\s|$|[)\]])/g, (whole, braced: string | undefined, bare: string | undefined) => asSuperscript(braced ?? bare ?? '') ?? whole)
    .replace(/_\{([^{}]*)\}|_(\w)/g, (whole, braced: string | undefined, bare: string | undefined) => asSubscript(braced ?? bare ?? '') ?? whole)
    // A count after an element or a bracket is a subscript (a species' leading number is its coefficient).
    .replace(/(?<=[A-Za-z)\]])(\d+)/g, (digits: string) => asSubscript(digits) ?? digits)
    // A charge after an element, a count or a bracket, ending the species: Li+, OH-, Fe3+.
    .replace(/(?<=[A-Za-z)\]₀-₉])(\d*[+-])(?=\s|$|[)\]])/g, (charge: string) => asSuperscript(charge) ?? charge);
  return /[{}^_]/.test(scripted) ? undefined : scripted;
}
