// esbuild's `keepNames`, without its cost where the language gives the same name (see
// nativeFunctionNames). Plain JavaScript, as run.mjs is.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The helper esbuild defines for `keepNames`: it sets a function's `name` at every call. */
const NAME_HELPER = 'var __name = (target, value) => __defProp(target, "name", { value, configurable: true });';
/** The same, but leaving a function that already has the name as it is. */
const LIGHT_NAME_HELPER = 'var __name = (target, value) => (target.name === value ? target : __defProp(target, "name", { value, configurable: true }));';

/** How esbuild writes a call of the helper whose value is used. */
const CALL = '/* @__PURE__ */ __name(';
/** What may stand before a name that a function takes: `const f = `, `let f = `, `var f = `, or `f: ` in an object. */
const NAMING = /(?:\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=|[{,]\s*([A-Za-z_$][\w$]*)\s*:)\s*$/;
/** How a function with no name of its own begins: `function (`, `x =>`, or the parameters of an arrow (checked to be followed by `=>`). */
const ANONYMOUS = /^(?:async\s+)?(?:function\s*\*?\s*\(|[A-Za-z_$][\w$]*\s*=>|(\())/;
/** What follows a call that is a whole value, after spaces: the end of a statement, of a declarator or property, of an object. */
const ENDS_VALUE = /^\s*[;,}]/;
/** Words after which a `/` begins a regular expression rather than dividing. */
const BEFORE_EXPRESSION = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await', 'default']);
/** Words whose `( ... )` is followed by a statement, which may begin with a regular expression. */
const BEFORE_CONDITION = new Set(['if', 'while', 'for', 'with']);

/**
 * A bundle's code as esbuild wrote it with `keepNames`, lighter where that changes nothing.
 * `keepNames` keeps the names of functions and classes that bundling renames (Eleventy tells some
 * of its classes apart by their names), with a call that sets the `name` of every named function
 * and class as it is made: closures made in a loop each get the property set anew, which made a
 * 5,000-entry build about a tenth slower (the functions change shape). Here:
 * - the helper leaves a function that already has the name (a function declaration's own);
 * - `const f = __name(() => ..., "f")` and `{ f: __name(function () {...}, "f") }` lose the call
 *   when the function has no name of its own: the language names it `f` there, as the call did.
 * A function whose name bundling changed keeps the call, as does a class (whose body could read
 * its name while it is defined) and every other form. Checked against a parser on the engine's
 * bundle: every call dropped is one of those two forms. Undefined when
 * the code cannot be read with certainty (a bracket that does not match, a string that does not
 * end): it then stays as it is.
 */
export function nativeFunctionNames(code) {
  const edits = [];
  // The open brackets; a "(" that opened a call to drop says where the call began and the name.
  const open = [];
  // What came last, for a `/`: something after which a value is expected, a word, or a value's
  // end; a `.` makes the word after it a property's name, a value.
  let previous = EXPECTS;
  let wordStart = 0;
  // Where the last comment, string, template or regular expression ended: a name is not taken from there.
  let skippedTo = 0;
  // The `(` that begins an anonymous arrow function's parameters, and the call that wraps it.
  let arrow;
  let i = 0;
  const length = code.length;
  while (i < length) {
    const char = code.charCodeAt(i);
    if (IS_WORD[char] === 1) {
      const afterDot = previous === DOT;
      wordStart = i;
      while (i < length && IS_WORD[code.charCodeAt(i)] === 1) i++;
      previous = afterDot ? VALUE : WORD;
      continue;
    }
    switch (char) {
      case SPACE:
      case NEWLINE:
      case TAB:
      case RETURN:
        i++;
        continue;
      case QUOTE:
      case APOSTROPHE:
        i = skippedTo = stringEnd(code, i, char);
        if (i < 0) return undefined;
        previous = VALUE;
        continue;
      case BACKTICK:
        i = skippedTo = templateEnd(code, i + 1, open);
        if (i < 0) return undefined;
        previous = code.charCodeAt(i - 1) === BACKTICK ? VALUE : EXPECTS;
        continue;
      case SLASH: {
        const next = code.charCodeAt(i + 1);
        if (next === SLASH) {
          const end = code.indexOf('\n', i);
          i = skippedTo = end < 0 ? length : end;
        } else if (next === STAR) {
          if (code.startsWith(CALL, i)) {
            const call = droppableCall(code, i, skippedTo);
            if (call?.arrowParameters !== undefined) arrow = { at: call.arrowParameters, call };
            open.push({ char: OPEN_PAREN, call });
            previous = EXPECTS;
            i += CALL.length;
          } else {
            const end = code.indexOf('*/', i + 2);
            if (end < 0) return undefined;
            i = skippedTo = end + 2;
          }
        } else if (previous === EXPECTS || previous === DOT || (previous === WORD && BEFORE_EXPRESSION.has(code.slice(wordStart, i).trimEnd()))) {
          i = skippedTo = regExpEnd(code, i);
          if (i < 0) return undefined;
          previous = VALUE;
        } else {
          previous = EXPECTS;
          i++;
        }
        continue;
      }
      case OPEN_PAREN:
      case OPEN_BRACKET:
      case OPEN_BRACE: {
        const condition = char === OPEN_PAREN && previous === WORD && BEFORE_CONDITION.has(code.slice(wordStart, i).trimEnd());
        open.push({ char, call: undefined, condition, parametersOf: arrow?.at === i ? arrow.call : undefined });
        previous = EXPECTS;
        i++;
        continue;
      }
      case CLOSE_PAREN:
      case CLOSE_BRACKET:
      case CLOSE_BRACE: {
        const top = open.pop();
        if (top === undefined) return undefined;
        if (top.char === TEMPLATE_EXPRESSION && char === CLOSE_BRACE) {
          // The end of an expression in a template: the template goes on.
          i = templateEnd(code, i + 1, open);
          if (i < 0) return undefined;
          previous = code.charCodeAt(i - 1) === BACKTICK ? VALUE : EXPECTS;
          continue;
        }
        if (top.char !== OPENING[char]) return undefined;
        // An arrow function's parameters are followed by its arrow; else what the call wraps is no function.
        if (top.parametersOf !== undefined && !/^\s*=>/.test(code.slice(i + 1, i + 8))) top.parametersOf.arrowParameters = NOT_AN_ARROW;
        if (top.call !== undefined && top.call.arrowParameters !== NOT_AN_ARROW) {
          // The call's last argument is the name, and the call is all there is to the value.
          const suffix = `, ${JSON.stringify(top.call.name)}`;
          if (code.startsWith(suffix, i - suffix.length) && ENDS_VALUE.test(code.slice(i + 1, i + 40))) edits.push([top.call.from, top.call.from + CALL.length], [i - suffix.length, i + 1]);
        }
        // A block's end comes before a statement, and so does a condition's.
        previous = char === CLOSE_BRACE || top.condition === true ? EXPECTS : VALUE;
        i++;
        continue;
      }
      case PLUS:
      case MINUS:
        if (code.charCodeAt(i + 1) === char) {
          previous = VALUE; // `x++ / 2` divides
          i += 2;
          continue;
        }
        previous = EXPECTS;
        i++;
        continue;
      default:
        previous = char === PERIOD ? DOT : EXPECTS; // `?.` ends in a `.` too
        i++;
    }
  }
  if (open.length > 0) return undefined;
  let result = '';
  let from = 0;
  for (const [start, end] of edits.sort((a, b) => a[0] - b[0])) {
    result += code.slice(from, start);
    from = end;
  }
  return (result + code.slice(from)).replace(NAME_HELPER, LIGHT_NAME_HELPER);
}

/**
 * Rewrites the bundle's files in `folder` with nativeFunctionNames. A file is rewritten only if
 * esbuild reads the result as JavaScript again: otherwise it stays as esbuild wrote it.
 */
export async function nativeFunctionNamesIn(folder) {
  const { transform } = await import('esbuild');
  const files = readdirSync(folder).filter((file) => file.endsWith('.js'));
  await Promise.all(
    files.map(async (file) => {
      const rewritten = nativeFunctionNames(readFileSync(path.join(folder, file), 'utf8'));
      if (rewritten === undefined) return;
      const valid = await transform(rewritten, { loader: 'js', format: 'esm', logLevel: 'silent' }).then(() => true, () => false);
      if (valid) writeFileSync(path.join(folder, file), rewritten);
    }),
  );
}

/**
 * The helper call at `at` if dropping it may change nothing: it is the value of `const f =` (or
 * `let`, `var`) or of an object's `f:` (not `__proto__:`, which names nothing), with the name
 * `f`, read from code (after `skippedTo`, where the last comment or string ended), around an anonymous
 * function or arrow. Whether the call is all of the value, and an arrow's parameters are followed
 * by its arrow, is checked at its end.
 */
function droppableCall(code, at, skippedTo) {
  const before = Math.max(0, at - 200);
  const naming = NAMING.exec(code.slice(before, at));
  const name = naming?.[1] ?? naming?.[2];
  if (naming === null || name === undefined || name === '__proto__' || before + naming.index < skippedTo) return undefined;
  const body = at + CALL.length;
  const anonymous = ANONYMOUS.exec(code.slice(body, body + 40));
  if (anonymous === null) return undefined;
  return { from: at, name, arrowParameters: anonymous[1] === undefined ? undefined : body + anonymous[0].length - 1 };
}

/** What a call's `arrowParameters` becomes when the `(` it found turns out not to begin an arrow's parameters. */
const NOT_AN_ARROW = -1;

const [EXPECTS, WORD, VALUE, DOT] = [0, 1, 2, 3];
const [SPACE, NEWLINE, TAB, RETURN, QUOTE, APOSTROPHE, BACKTICK, SLASH, STAR, BACKSLASH, PLUS, MINUS, DOLLAR, PERIOD] = [...' \n\t\r"\'`/*\\+-$.'].map((char) => char.charCodeAt(0));
const [OPEN_PAREN, OPEN_BRACKET, OPEN_BRACE, CLOSE_PAREN, CLOSE_BRACKET, CLOSE_BRACE] = [...'([{)]}'].map((char) => char.charCodeAt(0));
const OPENING = { [CLOSE_PAREN]: OPEN_PAREN, [CLOSE_BRACKET]: OPEN_BRACKET, [CLOSE_BRACE]: OPEN_BRACE };
/** What `open` holds for the `${` of a template. */
const TEMPLATE_EXPRESSION = -1;
/** 1 for the characters of names, keywords and numbers (every character beyond ASCII is taken as one). */
const IS_WORD = new Uint8Array(65536).fill(1, 128);
for (const char of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$#') IS_WORD[char.charCodeAt(0)] = 1;

/** Where a quoted string that starts at `i` ends (after its quote), or -1. */
function stringEnd(code, i, quote) {
  for (let j = i + 1; j < code.length; j++) {
    const char = code.charCodeAt(j);
    if (char === BACKSLASH) j++;
    else if (char === quote) return j + 1;
    else if (char === NEWLINE) return -1;
  }
  return -1;
}

/** Where a template's text from `i` ends: after its backtick, or after a `${`, which goes on `open`. -1 if it never ends. */
function templateEnd(code, i, open) {
  for (let j = i; j < code.length; j++) {
    const char = code.charCodeAt(j);
    if (char === BACKSLASH) j++;
    else if (char === BACKTICK) return j + 1;
    else if (char === DOLLAR && code.charCodeAt(j + 1) === OPEN_BRACE) {
      open.push({ char: TEMPLATE_EXPRESSION, call: undefined });
      return j + 2;
    }
  }
  return -1;
}

/** Where a regular expression that starts at `i` ends (after its flags), or -1. */
function regExpEnd(code, i) {
  let inClass = false;
  for (let j = i + 1; j < code.length; j++) {
    const char = code.charCodeAt(j);
    if (char === BACKSLASH) j++;
    else if (char === NEWLINE) return -1;
    else if (char === OPEN_BRACKET) inClass = true;
    else if (char === CLOSE_BRACKET) inClass = false;
    else if (char === SLASH && !inClass) {
      let end = j + 1;
      while (end < code.length && IS_WORD[code.charCodeAt(end)] === 1) end++;
      return end;
    }
  }
  return -1;
}
