// Test-only libraries without bundled types: the parts the tests use.
declare module 'ical.js' {
  const ICAL: { parse(input: string): unknown };
  export default ICAL;
}
