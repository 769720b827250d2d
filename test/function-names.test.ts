import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { nativeFunctionNames } from '../src/cli/function-names.mjs';

/** The helper as esbuild writes it for `keepNames`, and code in the form it writes. */
const HELPER = 'var __defProp = Object.defineProperty;\nvar __name = (target, value) => __defProp(target, "name", { value, configurable: true });\n';

/** Runs code that leaves its functions in `made`, and gives each one's name and how its `name` property is defined. */
function namesMadeBy(code: string): unknown[] {
  const context = vm.createContext({ made: [] as unknown[] });
  vm.runInContext(code, context);
  return (context['made'] as Array<(...args: unknown[]) => unknown>).map((fn) => ({ name: fn.name, property: Object.getOwnPropertyDescriptor(fn, 'name') }));
}

/** Functions and classes in the forms esbuild writes with `keepNames`, some renamed by bundling. */
const BUNDLED = `${HELPER}
function helper() {}
__name(helper, "helper");
function helper2() {}
__name(helper2, "helper");
var Config = class {
  static {
    __name(this, "Config");
  }
};
var DateTime = class _DateTime {
  static {
    __name(this, "DateTime");
  }
};
function loop() {
  const out = [];
  for (let i = 0; i < 3; i++) {
    const wrapper = /* @__PURE__ */ __name((...args) => args, "wrapper");
    const later = /* @__PURE__ */ __name(async function() {
      return \`\${wrapper.name}/\${/[(]/.test("(") ? "{" : "}"}\`;
    }, "later");
    out.push(wrapper, later);
  }
  return out;
}
__name(loop, "loop");
const fields = {
  parse: /* @__PURE__ */ __name(function(text) {
    return text.split(/[,)]/);
  }, "parse"),
  "quoted": /* @__PURE__ */ __name(() => "}", "quoted")
};
const renamed2 = /* @__PURE__ */ __name(() => 1, "renamed");
const named = /* @__PURE__ */ __name(function inner() {}, "named");
const called = /* @__PURE__ */ __name((x) => x, "called")(() => 2);
exports_.method = /* @__PURE__ */ __name(function() {}, "method");
const Anonymous = /* @__PURE__ */ __name(class {}, "Anonymous");
made.push(helper, helper2, Config, DateTime, ...loop(), fields.parse, fields.quoted, renamed2, named, called, exports_.method, Anonymous);
`.replace('exports_.method', 'var exports_ = {};\nexports_.method');

describe('function names in the compiled engine (src/cli/function-names.mjs)', () => {
  it('drops the name calls where the language gives the function the same name, and keeps every other', () => {
    const light = nativeFunctionNames(BUNDLED);
    assert.ok(light !== undefined);
    assert.match(light, /const wrapper = \(\.\.\.args\) => args;/);
    assert.match(light, /const later = async function\(\) \{/);
    assert.match(light, /parse: function\(text\) \{/);
    for (const kept of ['__name(class {}, "Anonymous")', '__name(helper2, "helper")', '__name(() => 1, "renamed")', '__name(function inner() {}, "named")', '__name((x) => x, "called")(', '__name(function() {}, "method")', '__name(() => "}", "quoted")', '__name(this, "DateTime")']) {
      assert.ok(light.includes(kept), `keeps ${kept}`);
    }
    assert.match(light, /var __name = \(target, value\) => \(target\.name === value \? target :/, 'the helper leaves a function that has the name');
  });

  it('gives every function and class the name, and the same name property, as keepNames did', () => {
    const light = nativeFunctionNames(BUNDLED) ?? '';
    const names = namesMadeBy(BUNDLED);
    assert.deepEqual(namesMadeBy(light), names);
    assert.deepEqual(
      (names as Array<{ name: string }>).map((entry) => entry.name),
      ['helper', 'helper', 'Config', 'DateTime', 'wrapper', 'later', 'wrapper', 'later', 'wrapper', 'later', 'parse', 'quoted', 'renamed', 'named', '', 'method', 'Anonymous'],
    );
  });

  it('keeps the call wherever the language would not give the same name, or the call is not all of the value', () => {
    // Each as esbuild could write it, or close to it; each function must keep the name keepNames gave it.
    const cases = [
      // `__proto__:` sets the prototype and names nothing.
      'var o = { __proto__: /* @__PURE__ */ __name(function() {\n}, "__proto__"), f: 1 };\nmade.push(Object.getPrototypeOf(o));',
      // A regular expression after a condition's `)`, with a backtick in it, then a template that holds the call's text.
      'var ok = true;\nif (ok) /`/;\nvar t = `var f = /* @__PURE__ */ __name(function() {\n}, "f"), `;\nif (ok) /`/;\nmade.push({ name: t });',
      // A division after a property named like a keyword, then the same.
      'var u = { in: 4 }, x = 1;\nvar w = u.in / 2 + `/${x}`;\nvar t = `var f = /* @__PURE__ */ __name(function() {\n}, "f"), `;\nmade.push({ name: t });',
      // The call followed by more on the next line.
      'const f = /* @__PURE__ */ __name(function() {\n}, "f")\n.bind(null);\nmade.push(f);',
      // A parenthesised expression rather than an arrow's parameters.
      'const f = /* @__PURE__ */ __name((0, function() {\n}), "f");\nmade.push(f);',
      // What looks like a name, in a comment.
      'const x = [ // { f:\n/* @__PURE__ */ __name(() => 1, "f")\n];\nmade.push(x[0]);',
      // An anonymous class that reads its own name while it is defined.
      'const C = /* @__PURE__ */ __name(class {\n  static n = this.name;\n}, "C");\nmade.push(C, { name: C.n });',
    ];
    for (const body of cases) {
      const code = `${HELPER}${body}`;
      const light = nativeFunctionNames(code) ?? code;
      assert.deepEqual(namesMadeBy(light), namesMadeBy(code), body);
      assert.ok(light.includes('__name(') && light.split('__name(').length === code.split('__name(').length, `keeps the call: ${body}`);
    }
  });

  it('leaves alone code it cannot read with certainty', () => {
    for (const code of [`${HELPER}const f = /* @__PURE__ */ __name(() => {, "f");`, `${HELPER}const s = "unended;\nconst f = 1;`, `${HELPER}const t = \`\${x\`;`, `${HELPER}}`]) {
      assert.equal(nativeFunctionNames(code), undefined, code);
    }
  });
});
