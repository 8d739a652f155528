/** Heuristics shared by the plaintext-secret checks: which names and lines hold secrets. */

const SECRET_WORDS = new Set(["PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "SECRETS", "TOKEN", "KEY", "APIKEY", "PRIVATEKEY", "CREDENTIAL", "CREDENTIALS", "PASSPHRASE"]);
/** A last word that makes the name point at a secret rather than hold one (`DB_PASSWORD_FILE`, `TOKEN_URL`). */
const REFERENCE_WORDS = new Set(["FILE", "PATH", "DIR", "URL", "URI", "HOST", "PORT", "USER", "USERNAME", "NAME", "ID", "POLICY", "LENGTH", "ALGORITHM", "TYPE", "REF", "ENDPOINT", "HEADER", "ISSUER", "EXPIRY", "TTL", "ENABLED", "METHOD", "FORMAT", "SIZE", "ROTATION", "RESET", "LIFESPAN", "LIFETIME", "TIMEOUT", "EXPIRATION", "EXPIRES", "COUNT", "SERVERS"]);

/** Words of a name: split on `_`, `-`, `.`, spaces and camelCase boundaries, upper-cased. */
export function wordsOf(name: string): readonly string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toUpperCase());
}

export function isSecretName(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0 || REFERENCE_WORDS.has(words[words.length - 1]!)) return false;
  return words.some((w) => SECRET_WORDS.has(w));
}

const PRIVATE_KEY = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;
/** `name = value`, `name: value`, `"name": "value"` in configuration files. */
const ASSIGNMENT = /^\s*["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*(.*?)\s*,?\s*$/;
/** Values that are not secrets themselves: empty, null, placeholders filled at run time (`$(env:NAME)`: keycloak-config-cli's substitution). */
const PLACEHOLDER = /^(?:["']{2}|null|~|true|false|\[\]|\{\}|\$\{[^}]*\}|\$\(env:[A-Za-z_][A-Za-z0-9_]*\)|\$[A-Za-z_][A-Za-z0-9_]*|\{\{.*\}\}|%\(.*\)s|<[^>]*>|\[secret\]|\[unknown\])$/i;

export interface SecretLine {
  readonly line: number;
  readonly what: string;
}

/** Lines of a configuration value that hold a literal secret; the secret itself is never returned. */
export function secretLines(text: string): readonly SecretLine[] {
  const hits: SecretLine[] = [];
  text.split("\n").forEach((raw, i) => {
    if (PRIVATE_KEY.test(raw)) {
      hits.push({ line: i + 1, what: "a PEM private key" });
      return;
    }
    const m = ASSIGNMENT.exec(raw);
    if (!m) return;
    const [, key, rawValue] = m;
    const value = rawValue!.replace(/^["']|["']$/g, "").trim();
    if (value === "" || value === "{" || value === "[" || PLACEHOLDER.test(rawValue!) || PLACEHOLDER.test(value)) return;
    if (isSecretName(key!)) hits.push({ line: i + 1, what: `${key} is set to a literal value` });
  });
  return hits;
}
