// @jsonresume/schema ships no types; tests use its validator.
declare module '@jsonresume/schema';
