import { RENAMED_KEY_PREFIX } from './names';

/** Whether `object` has one of `keys` as its own property. */
export function hasReservedKey(object: object, keys: readonly string[]): boolean {
  for (const key of keys) if (Object.hasOwn(object, key)) return true;
  return false;
}

/** A shallow copy with `keys` moved to `fields.<key>`, keeping the key order otherwise. */
export function renameReserved(
  object: Record<string, unknown>,
  keys: readonly string[],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    result[keys.includes(key) ? RENAMED_KEY_PREFIX + key : key] = object[key];
  }
  return result;
}

/** `object` itself when it has none of `keys`, else {@link renameReserved}'s copy. */
export function renameReservedIn(
  object: Record<string, unknown>,
  keys: readonly string[],
): Record<string, unknown> {
  return hasReservedKey(object, keys) ? renameReserved(object, keys) : object;
}
