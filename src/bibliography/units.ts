import { asSuperscript } from './math.ts';

// Quantities and units written with siunitx (\SI{13}{\TeV}, \si{\micro\metre}, \qty, \unit,
// \num), which the parser does not know (it showed "13" and dropped the unit), as text:
// "13 TeV", "μm". Only read-bibtex.ts uses this.

const PREFIXES: Readonly<Record<string, string>> = {
  yocto: 'y', zepto: 'z', atto: 'a', femto: 'f', pico: 'p', nano: 'n', micro: 'μ', milli: 'm', centi: 'c', deci: 'd',
  deca: 'da', deka: 'da', hecto: 'h', kilo: 'k', mega: 'M', giga: 'G', tera: 'T', peta: 'P', exa: 'E', zetta: 'Z', yotta: 'Y',
};
const UNITS: Readonly<Record<string, string>> = {
  metre: 'm', meter: 'm', second: 's', gram: 'g', kilogram: 'kg', kelvin: 'K', ampere: 'A', mole: 'mol', candela: 'cd',
  hertz: 'Hz', newton: 'N', pascal: 'Pa', joule: 'J', watt: 'W', volt: 'V', ohm: 'Ω', tesla: 'T', henry: 'H', farad: 'F',
  coulomb: 'C', siemens: 'S', weber: 'Wb', becquerel: 'Bq', gray: 'Gy', sievert: 'Sv', lumen: 'lm', lux: 'lx', katal: 'kat',
  litre: 'L', liter: 'L', electronvolt: 'eV', eV: 'eV', keV: 'keV', MeV: 'MeV', GeV: 'GeV', TeV: 'TeV', dalton: 'Da',
  minute: 'min', hour: 'h', day: 'd', degree: '°', arcminute: '′', arcsecond: '″', celsius: '°C', degreeCelsius: '°C',
  angstrom: 'Å', bar: 'bar', bel: 'B', decibel: 'dB', neper: 'Np', tonne: 't', hectare: 'ha', byte: 'B', bit: 'bit',
  percent: '%', astronomicalunit: 'au', parsec: 'pc', lightyear: 'ly', molar: 'M', barn: 'b',
  // siunitx's abbreviations.
  fm: 'fm', pm: 'pm', nm: 'nm', um: 'μm', mm: 'mm', cm: 'cm', km: 'km', ms: 'ms', us: 'μs', ns: 'ns', ps: 'ps', mg: 'mg', ug: 'μg',
  kg: 'kg', Hz: 'Hz', kHz: 'kHz', MHz: 'MHz', GHz: 'GHz', THz: 'THz', mW: 'mW', kW: 'kW', MW: 'MW', GW: 'GW', mV: 'mV', kV: 'kV',
  mA: 'mA', uA: 'μA', nA: 'nA', mL: 'mL', uL: 'μL', mol: 'mol', mmol: 'mmol', kJ: 'kJ', K: 'K',
};
const POWERS: Readonly<Record<string, string>> = { squared: '²', cubed: '³' };

/** `\SI{13}{\TeV}` and `\qty{13}{\TeV}`; `\si{\micro\metre}` and `\unit{...}`; `\num{...}`, with one level of braces inside. */
const SIUNITX = /\\(SI|qty|si|unit|num)\s*(?:\[[^\]]*\])?\s*\{((?:[^{}]|\{[^{}]*\})*)\}(?:\s*\{((?:[^{}]|\{[^{}]*\})*)\})?/g;

/** A value with each siunitx command written out, or as it was where a unit is not one of these. */
export function withUnits(value: string): string {
  if (!/\\(?:SI|qty|si|unit|num)\b/.test(value)) return value;
  return value.replace(SIUNITX, (whole, command: string, first: string, second: string | undefined) => {
    if (command === 'num') return first.trim();
    if (command === 'si' || command === 'unit') return unitText(first) ?? whole;
    if (second === undefined) return whole;
    const unit = unitText(second);
    // A number and its unit stay on one line.
    return unit === undefined ? whole : `${first.trim()}\u00a0${unit}`;
  });
}

/** A unit written with siunitx's macros (\kilo\metre\per\second) or literally (km/s, km.s^{-1}), as text. */
function unitText(unit: string): string | undefined {
  let text = '';
  let pending = '';
  let per = false;
  for (const [, macro, argument, literal] of unit.matchAll(/\\([A-Za-z]+)(?:\{([^{}]*)\})?|([^\\]+)/g)) {
    if (literal !== undefined) {
      const written = literal.replace(/\^\{?(-?\d+)\}?/g, (whole, power: string) => asSuperscript(power) ?? whole).replace(/(?<=\S)\.(?=\S)/g, '·').replace(/~/g, '\u00a0');
      if (/[{}^_]/.test(written)) return undefined;
      text += written;
      continue;
    }
    const name = macro ?? '';
    if (PREFIXES[name] !== undefined) pending += PREFIXES[name];
    else if (name === 'per') per = true;
    else if (POWERS[name] !== undefined) text += POWERS[name];
    else if (name === 'tothe' && argument !== undefined) text += asSuperscript(argument) ?? `^${argument}`;
    else if (UNITS[name] !== undefined) {
      text += `${per ? '/' : text === '' ? '' : '·'}${pending}${UNITS[name]}`;
      pending = '';
      per = false;
    } else return undefined;
  }
  return pending === '' ? text.trim() : undefined;
}
