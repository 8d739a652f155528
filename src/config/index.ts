import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./issues";
import { parseConfig, NAMESPACE, type ConfigCheck } from "./parse";
import { SECRET_SETTINGS, type SocleConfig } from "./schema";

export * from "./schema";
export { ConfigError, type ConfigIssue } from "./issues";
export { parseConfig, type ConfigCheck } from "./parse";

/** Keys whose values are strings even when they look like JSON (`socle:organization: "2024"`). */
const STRING_KEYS = new Set(["kind", "organization", "previousOrganization", "organizationName", "domain", "target", "region", "sizing", "registryMirror", "tlsIssuer", "acmeServer", "acmeEmail", "platformStack", "gatewayClass"]);

/**
 * The one place configuration is read: the `socle:*` keys of the running stack, validated into the
 * typed object every component receives a slice of. Used by `pulumi up` and by `socle render` alike.
 */
export function loadConfig(checks: readonly ConfigCheck[] = []): SocleConfig {
  const raw: Record<string, unknown> = {};
  const file = `stacks/Pulumi.${pulumi.getStack()}.yaml`;
  const misplacedSecrets = secretConfigKeys().filter((k) => k.startsWith(`${NAMESPACE}:`) && !SECRET_SETTINGS.has(k.slice(NAMESPACE.length + 1)));
  if (misplacedSecrets.length) {
    throw new ConfigError(
      file,
      misplacedSecrets.map((path) => ({
        path,
        value: undefined,
        problem: "is stored encrypted (secure:), but it is not a secret setting: socle would use it as a plain string",
        fix: `write ${path} in clear (it is not a credential), or give the credential through the provider's environment variables or a secret store`,
      })),
    );
  }
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!key.startsWith(`${NAMESPACE}:`)) continue;
    const name = key.slice(NAMESPACE.length + 1);
    raw[name] = STRING_KEYS.has(name) ? value : parseJson(value);
  }
  return parseConfig(
    raw,
    {
      project: pulumi.getProject(),
      stack: pulumi.getStack(),
      file,
      // The runtime knows which keys hold a secret, not which paths inside them: a key with any `secure:` value inside is one.
      isSecret: (path) => isConfigSecret(`${NAMESPACE}:${String(path[0])}`),
    },
    checks,
  );
}

/**
 * The SDK's own test of a secret key (`isConfigSecret` in @pulumi/pulumi runtime/config.js, exported at run
 * time though absent from its typings). Missing: nothing is taken for a secret, so secret-only keys are refused.
 */
function isConfigSecret(key: string): boolean {
  const fn = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  return typeof fn === "function" ? fn(key) : false;
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The keys the engine marks secret (`secure:` in the stack file), as the SDK keeps them (runtime/config.js, PULUMI_CONFIG_SECRET_KEYS). */
function secretConfigKeys(): string[] {
  const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore(): { config: Record<string, string | undefined> } };
  const text = getStore().config["PULUMI_CONFIG_SECRET_KEYS"] ?? process.env.PULUMI_CONFIG_SECRET_KEYS;
  try {
    const keys = JSON.parse(text ?? "[]") as unknown;
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === "string") : [];
  } catch {
    return [];
  }
}
