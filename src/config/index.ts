import * as pulumi from "@pulumi/pulumi";
import { parseConfig, NAMESPACE, type ConfigCheck } from "./parse";
import type { SocleConfig } from "./schema";

export * from "./schema";
export { ConfigError, type ConfigIssue } from "./issues";
export { parseConfig, type ConfigCheck } from "./parse";

/** Keys whose values are strings even when they look like JSON (`socle:organization: "2024"`). */
const STRING_KEYS = new Set(["kind", "organization", "organizationName", "domain", "target", "region", "sizing", "registryMirror", "tlsIssuer", "acmeServer", "acmeEmail", "platformStack", "gatewayClass"]);

/**
 * The one place configuration is read: the `socle:*` keys of the running stack, validated into the
 * typed object every component receives a slice of. Used by `pulumi up` and by `socle render` alike.
 */
export function loadConfig(checks: readonly ConfigCheck[] = []): SocleConfig {
  const raw: Record<string, unknown> = {};
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
      file: `stacks/Pulumi.${pulumi.getStack()}.yaml`,
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
