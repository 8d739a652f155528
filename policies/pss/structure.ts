/**
 * A structural key of a JSON-like value: two values with the same key have the same own enumerable string keys,
 * in the same order, holding the same primitives, at every depth. The key is the value's JSON text, given only
 * to values JSON renders exactly: strings, finite numbers other than -0, booleans, null, dense arrays and plain
 * objects of those. Anything JSON would blur (undefined, NaN, the infinities, -0, an array hole) or cannot hold
 * (a Map, a Date, a class instance, a function, a symbol, a bigint, an object with `toJSON`), or nested deeper
 * than `maxDepth`, has no key (undefined): the caller then keeps that value to itself.
 */
export function structuralKey(value: unknown, maxDepth = 64): string | undefined {
  return isExactJson(value, maxDepth) ? JSON.stringify(value) : undefined;
}

function isExactJson(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(v) && !Object.is(v, -0);
    case "object": {
      if (v === null) return true;
      if (depth <= 0) return false;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !isExactJson(v[i], depth - 1)) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      const obj = v as Record<string, unknown>;
      if ("toJSON" in obj) return false;
      for (const k in obj) if (Object.prototype.hasOwnProperty.call(obj, k) && !isExactJson(obj[k], depth - 1)) return false;
      return true;
    }
    default:
      return false;
  }
}
