import { SECRET, SECRET_SIG, SIG_KEY } from "../../render/markers";

/**
 * Replaces every Pulumi secret envelope (`{"4dabf…": "1b47…", ciphertext | plaintext}`) by the
 * `[secret]` marker, so that no control, message or report can ever see a secret value.
 * Copy-on-write: unchanged subtrees are shared, not cloned (state files can hold 20,000 resources).
 */
export function redactSecrets(value: unknown): unknown {
  return typeof value === "object" && value !== null ? redactObject(value) : value;
}

function redactObject(value: object): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v !== "object" || v === null) continue;
      const r = redactObject(v);
      if (r !== v) {
        out ??= value.slice();
        out[i] = r;
      }
    }
    return out ?? value;
  }
  const obj = value as Record<string, unknown>;
  if (obj[SIG_KEY] === SECRET_SIG) return SECRET;
  let out: Record<string, unknown> | undefined;
  for (const key in obj) {
    const v = obj[key];
    if (typeof v !== "object" || v === null) continue;
    const r = redactObject(v);
    if (r !== v) {
      out ??= { ...obj };
      out[key] = r;
    }
  }
  return out ?? obj;
}

export { SECRET as SECRET_MARKER };
