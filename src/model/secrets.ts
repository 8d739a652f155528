/**
 * Typed contracts for the Kubernetes Secrets that cross a module boundary: one module writes the Secret,
 * others read its keys (`secretKeyRef`, `existingSecret`, a CloudNativePG credentials reference, …). The
 * Secret's name and keys are defined once, here or beside the writer, and both sides go through the
 * contract: a key renamed on one side is a type error on the other, not a pod that cannot start.
 *
 * Bottom layer: imported by charts, components and the program; imports nothing of socle.
 */

/** A reference to one key of a Secret, in the shape of a container's `valueFrom.secretKeyRef`. */
export interface SecretKeyRef<Name extends string = string, Key extends string = string> {
  readonly name: Name;
  readonly key: Key;
}

/** A container environment variable read from one key of a Secret. */
export interface SecretEnvVar {
  readonly name: string;
  readonly valueFrom: { readonly secretKeyRef: SecretKeyRef };
}

export interface SecretContract<Name extends string = string, Keys extends readonly string[] = readonly string[]> {
  /** The Secret's `metadata.name`. */
  readonly name: Name;
  /** Its keys, in the order the writer lists them. */
  readonly keys: Keys;
  /**
   * The Secret's `data` / `stringData`: exactly one value per key (a missing or unknown key does not compile,
   * and is refused at run time too, for values built dynamically).
   */
  data<T extends { readonly [K in Keys[number]]: unknown }>(values: T & { readonly [X in Exclude<keyof T, Keys[number] | (string extends Keys[number] ? number : never)>]: never }): T;
  /** Reference to one key, as `secretKeyRef` (or any `{name, key}` selector) wants it. */
  ref<K extends Keys[number]>(key: K): SecretKeyRef<Name, K>;
  /** A container environment variable `envName` read from `key`. */
  env(envName: string, key: Keys[number]): SecretEnvVar;
}

/** The keys of a contract, as a union of string literal types. */
export type SecretKeys<C> = C extends SecretContract<string, infer Keys> ? Keys[number] : never;

/**
 * A container environment variable read from one key of a contract's Secret: for charts' own `secretEnv`
 * helpers, so that a call naming a key the contract lacks does not compile.
 */
export function secretEnv<C extends SecretContract>(envName: string, secret: C, key: SecretKeys<C>): SecretEnvVar {
  return secret.env(envName, key);
}

/**
 * Defines a Secret's contract. `keys` must be a literal tuple (`as const`) so that each key is a type:
 *
 *     const WIKI_OIDC = defineSecret("xwiki-oidc-client", ["client-secret"] as const);
 *     WIKI_OIDC.data({ "client-secret": secret })      // writer
 *     WIKI_OIDC.env("OIDC_CLIENT_SECRET", "client-secret")  // reader
 */
export function defineSecret<const Name extends string, const Keys extends readonly string[]>(name: Name, keys: Keys): SecretContract<Name, Keys> {
  checkName(name);
  if (keys.length === 0) throw new Error(`secret ${name}: a contract needs at least one key`);
  for (const key of keys) checkKey(name, key);
  if (new Set(keys).size !== keys.length) throw new Error(`secret ${name}: keys ${JSON.stringify(keys)} repeat a key`);
  const known = new Set<string>(keys);
  const check = (key: string) => {
    if (!known.has(key)) throw new Error(`secret ${name} has no key ${JSON.stringify(key)} (keys: ${keys.join(", ")})`);
  };
  return {
    name,
    keys,
    data(values) {
      const given = Object.keys(values);
      for (const key of given) check(key);
      const missing = keys.filter((k) => !given.includes(k));
      if (missing.length) throw new Error(`secret ${name}: no value for key(s) ${missing.join(", ")}`);
      return { ...values };
    },
    ref(key) {
      check(key);
      return { name, key };
    },
    env(envName, key) {
      check(key);
      return { name: envName, valueFrom: { secretKeyRef: { name, key } } };
    },
  };
}

/**
 * A Secret whose keys are data, not code (one key per realm client, say): the name is shared, each key is
 * only checked to be a valid Secret key. Prefer `defineSecret` whenever the keys are known in the code.
 */
export function defineOpenSecret<const Name extends string>(name: Name): SecretContract<Name, readonly string[]> {
  checkName(name);
  const valid = (key: string) => checkKey(name, key);
  return {
    name,
    keys: [],
    data(values) {
      Object.keys(values).forEach(valid);
      return { ...values };
    },
    ref(key) {
      valid(key);
      return { name, key };
    },
    env(envName, key) {
      valid(key);
      return { name: envName, valueFrom: { secretKeyRef: { name, key } } };
    },
  };
}

function checkName(name: string): void {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
    throw new Error(`secret name ${JSON.stringify(name)} is not a Kubernetes object name (lowercase letters, digits, '-', '.')`);
  }
}

/** Kubernetes Secret keys: `[-._a-zA-Z0-9]+`, at most 253 characters (core/v1 validation, IsConfigMapKey). */
function checkKey(secret: string, key: string): void {
  if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253) throw new Error(`secret ${secret}: key ${JSON.stringify(key)} is not a valid Secret key ([-._a-zA-Z0-9]+)`);
}
