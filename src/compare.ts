/**
 * Locale-independent ordering. `String.prototype.localeCompare` follows the process's locale
 * (LC_ALL, LANG and ICU data): under `cs_CZ` "ch" sorts after "h", under `lt_LT` "y" sorts with
 * "i", so output ordered with it changes with the machine. Everything socle writes is ordered with
 * this comparator instead: UTF-16 code units, the order of `Array.prototype.sort` without a
 * comparator, identical on every machine.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
