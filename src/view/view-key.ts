import { hashOf } from '../cache.ts';

const keys = new WeakMap<object, string>();

/**
 * A hash of a view object (a publication as the layouts show it): what its page, its list item and
 * the CV PDF's cache keys are made from. Worked out once per object.
 */
export function viewKey(view: object): string {
  let key = keys.get(view);
  if (key === undefined) keys.set(view, (key = hashOf(JSON.stringify(view))));
  return key;
}
