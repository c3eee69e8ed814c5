import { OdooException } from '../errors';
import { pyRepr } from '../orm/python';

/**
 * Objects decoded from a request (JSON objects, XML-RPC structs) are Python dicts to the code
 * that reads them. They get this prototype so that `String(value)` or `${value}` in a message is
 * Python's `str(dict)`, and so that a key sent as `toString` or `valueOf` cannot make that
 * conversion throw (no JSON or XML key can shadow a symbol).
 */
const pyDict: object = Object.create(Object.prototype, {
  [Symbol.toPrimitive]: {
    value(this: Record<string, unknown>) {
      return pyRepr(this);
    },
  },
});

/** An empty dict for a decoder to fill with `setKey` (never `dict[key] = value`: the key may be `__proto__`). */
export const newDict = (): Record<string, unknown> => Object.create(pyDict) as Record<string, unknown>;

export function setKey(dict: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(dict, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Python's `json.loads` recurses once per level of nesting and gives up near the interpreter's
 * recursion limit (1000) with a RecursionError; deeper than this, we do the same.
 */
export const MAX_NESTING = 900;

export const recursionError = () =>
  new OdooException('builtins.RecursionError', 'maximum recursion depth exceeded while decoding a JSON array from a unicode string');

/**
 * `JSON.parse` for a request body: a SyntaxError for text that is not JSON, Python's
 * RecursionError past `MAX_NESTING`, and every object turned into a dict (see `pyDict`).
 * Walks the value with its own stack, so no depth can overflow ours.
 */
export function parseRequestJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > MAX_NESTING) throw recursionError();
    if (!Array.isArray(item)) Object.setPrototypeOf(item, pyDict);
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return value;
}
