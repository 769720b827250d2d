/**
 * Open Graph's locale for the site's language: language_TERRITORY ("en_GB"), with the territory
 * after the language or its script ("zh-Hant-TW" is zh_TW). A language named without its
 * territory ("en", "de") gets none: Open Graph would read its default, en_US, and the page's own
 * lang says the language; a territory the owner did not name (pt_BR or pt_PT?) is not made up.
 */
export function openGraphLocale(language: string): string | undefined {
  const found = /^([a-z]{2,3})(?:-[A-Za-z]{4})?-([A-Za-z]{2})(?![A-Za-z0-9])/.exec(language);
  return found === null ? undefined : `${found[1]}_${found[2]?.toUpperCase()}`;
}
