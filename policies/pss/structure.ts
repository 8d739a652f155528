/**
 * A structural key of a JSON-like value: two values with the same key have the same own enumerable string keys,
 * in the same order, holding the same primitives (`undefined`, `null`, `NaN`, `-0` and the infinities all kept
 * apart), at every depth. Strings are length-prefixed, so no content can forge a boundary. Anything that is not a
 * plain object, a dense array or a primitive (a Map, a Date, a class instance, a function, a symbol, a bigint, an
 * array with holes) or nested deeper than `maxDepth` has no key (undefined): the caller then keeps that value to
 * itself. A pure function of the value read through `Object.keys` and indexing, as the Pod Security checks read it.
 */
export function structuralKey(value: unknown, maxDepth = 64): string | undefined {
  return keyOf(value, maxDepth);
}

function keyOf(v: unknown, depth: number): string | undefined {
  switch (typeof v) {
    case "string":
      return `s${v.length}:${v}`;
    case "number":
      // String(-0) is "0": keep -0 apart; ";" never occurs in a number's text, so it ends one.
      return Object.is(v, -0) ? "n-0;" : `n${v};`;
    case "boolean":
      return v ? "T" : "F";
    case "undefined":
      return "U";
    case "object": {
      if (v === null) return "N";
      if (depth <= 0) return undefined;
      if (Array.isArray(v)) {
        let key = `[${v.length}:`;
        for (let i = 0; i < v.length; i++) {
          if (!(i in v)) return undefined;
          const item = keyOf(v[i], depth - 1);
          if (item === undefined) return undefined;
          key += item;
        }
        return `${key}]`;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return undefined;
      const obj = v as Record<string, unknown>;
      let key = "{";
      for (const k of Object.keys(obj)) {
        const item = keyOf(obj[k], depth - 1);
        if (item === undefined) return undefined;
        key += `${k.length}:${k}${item}`;
      }
      return `${key}}`;
    }
    default:
      return undefined;
  }
}
