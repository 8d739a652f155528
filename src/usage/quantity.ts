/**
 * Kubernetes resource quantities (k8s.io/apimachinery pkg/api/resource/quantity.go): a decimal number with an
 * optional suffix, binary (Ki Mi Gi Ti Pi Ei) or decimal (n u m "" k M G T P E), or a decimal exponent (1e3).
 * Returns the value in base units (cores, bytes), or undefined when the text is not a quantity.
 */
const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string" || value.length > 64) return undefined;
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] ? 10 ** Number(m[2].slice(1)) : SUFFIX[m[3] ?? ""]!);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Millicores, rounded up as the scheduler does (a request below 1m is 1m). */
export const toMillicores = (cores: number): number => Math.ceil(Math.round(cores * 1e6) / 1e3);
