import { z } from "zod";
import { ENVOY_NAMESPACE, GATEWAY_NAME, GATEWAY_NAMESPACE, GATEWAY_POD_LABELS } from "../../charts/gateway";
import { CLUSTER_ISSUER } from "../../charts/issuer";
import { CAPSULE_API_VERSION, CAPSULE_USERS_GROUP, protectedNamespaceRegex } from "../../charts/platform/capsule";
import { GARAGE_LABELS, GARAGE_NAMESPACE, GARAGE_PORTS } from "../../charts/platform/garage";
import { CAPSULE_CHART } from "../../charts/platform/releases";
import { PLATFORM_OWNED_NAMESPACES } from "../../components/platform/capsule";
import { TRUST_BUNDLE } from "../../charts/trust";
import { InputError } from "../model/input-error";
import type { SocleConfig } from "../config/schema";

/**
 * What a platform stack hands its tenants, as its stack output `tenancy`: everything a tenant needs from the
 * shared platform (its Gateway, issuer, in-cluster S3 store, CA bundle, classes, capacity, and the Capsule it installed
 * to admit the tenant's `Tenant`). A tenant reads it
 * through a StackReference and never recomputes it, so a platform that renames its gateway or moves its
 * store changes every tenant by its next update, not by a code change in each.
 */
export const TENANCY_OUTPUT = "tenancy";

const label = z.string().min(1).max(253);
const labels = z.record(z.string().max(253), z.string().max(63)).refine((r) => Object.keys(r).length <= 16, "at most 16 labels");

export const platformContractSchema = z
  .object({
    /**
     * Version of this contract, raised on any incompatible change. 2: `capsule` (a platform of version 1 did not
     * install Capsule, so its tenants' `Tenant` objects were refused).
     */
    version: z.literal(2),
    organization: label,
    gateway: z.object({ name: label, namespace: label, className: label, podNamespace: label, pods: labels }).strict(),
    tls: z.object({ issuer: z.enum(["internal-ca", "acme"]), clusterIssuer: label, caBundle: z.object({ configMap: label, key: label }).strict() }).strict(),
    objectStorage: z.object({ endpointURL: z.string().max(2048).regex(/^https?:\/\//), namespace: label, pods: labels, port: z.number().int().min(1).max(65535), region: label }).strict(),
    storageClass: label,
    capacity: z.object({ sizing: z.enum(["small", "medium", "large"]) }).strict(),
    /**
     * The Capsule release the platform installed: its chart version, the `Tenant` API it serves (the tenant
     * renders exactly that one), the group every tenant admin must also be in to be a Capsule user, and the
     * namespaces Capsule refuses to any tenant (its `protectedNamespaceRegex`).
     */
    capsule: z.object({ chartVersion: label, apiVersion: z.literal(CAPSULE_API_VERSION), usersGroup: label, protectedNamespaces: z.string().min(1).max(4096) }).strict(),
  })
  .strict();

export type PlatformContract = z.infer<typeof platformContractSchema>;

/** The platform's `tenancy` output, from the same constants the platform's own charts use. Pure. */
export function platformContract(config: SocleConfig, storageClass: string): PlatformContract {
  return {
    version: 2,
    organization: config.organization.id,
    gateway: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE, className: config.gatewayClass, podNamespace: ENVOY_NAMESPACE, pods: { ...GATEWAY_POD_LABELS } },
    tls: { issuer: config.tls.issuer, clusterIssuer: CLUSTER_ISSUER, caBundle: { ...TRUST_BUNDLE } },
    objectStorage: {
      endpointURL: `http://garage.${GARAGE_NAMESPACE}.svc:${GARAGE_PORTS.s3}`,
      namespace: GARAGE_NAMESPACE,
      pods: { "app.kubernetes.io/name": GARAGE_LABELS["app.kubernetes.io/name"] },
      port: GARAGE_PORTS.s3,
      region: config.cloud.region,
    },
    storageClass,
    capacity: { sizing: config.sizing },
    capsule: { chartVersion: CAPSULE_CHART.version, apiVersion: CAPSULE_API_VERSION, usersGroup: CAPSULE_USERS_GROUP, protectedNamespaces: protectedNamespaceRegex(PLATFORM_OWNED_NAMESPACES) },
  };
}

/**
 * Validates the `tenancy` output a tenant read from its platform stack. Absent (the platform is older than
 * this contract, or not rendered/deployed yet) or malformed: a clear error naming the platform stack.
 */
export function parsePlatformContract(value: unknown, platformStack: string, tenant: SocleConfig): PlatformContract {
  if (value === undefined || value === null) {
    throw new InputError(
      `platform stack ${platformStack} has no \`${TENANCY_OUTPUT}\` output: deploy (or render) the platform with this version of socle first, then its tenants`,
      "socle:platformStack",
    );
  }
  const version = typeof value === "object" && !Array.isArray(value) ? (value as { version?: unknown }).version : undefined;
  if (version === 1) {
    throw new InputError(
      `platform stack ${platformStack}: its \`${TENANCY_OUTPUT}\` output is version 1, from a socle that does not install Capsule, so the API server would refuse this tenant's Capsule Tenant; update the platform stack with this version of socle (it installs Capsule ${CAPSULE_CHART.version}), then its tenants`,
      "socle:platformStack",
    );
  }
  const parsed = platformContractSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`platform stack ${platformStack}: output \`${TENANCY_OUTPUT}\` at ${issue.path.join(".") || "(root)"} ${issue.message}; upgrade the platform stack to this version of socle`, "socle:platformStack");
  }
  if (parsed.data.tls.issuer !== tenant.tls.issuer) {
    throw new InputError(
      `socle:tlsIssuer is ${tenant.tls.issuer} but platform stack ${platformStack} issues certificates with ${parsed.data.tls.issuer}; set socle:tlsIssuer: ${parsed.data.tls.issuer} on the tenant`,
      "socle:tlsIssuer",
    );
  }
  return parsed.data;
}

/** A socle tenant's Capsule `Tenant`: named after its organization id, which is also its namespaces' prefix. */
export function capsuleTenantName(config: Pick<SocleConfig, "organization">): string {
  return config.organization.id;
}

/**
 * The group (as the cluster's authenticator names it) whose members administer a tenant: Capsule binds it to
 * `admin` in the tenant's namespaces only. The hoster's API server authentication puts a tenant's admins in it.
 */
export function tenantAdminGroup(config: Pick<SocleConfig, "organization">): string {
  return `socle:tenant:${config.organization.id}:admins`;
}

/**
 * Refuses a tenant whose namespaces its platform's Capsule would refuse (`protectedNamespaceRegex`: Kubernetes'
 * and the platform's namespaces, e.g. a tenant `socle` whose `socle-wiki` falls under `socle-.*`), at render
 * rather than at the first namespace `pulumi up` creates.
 */
export function refuseProtectedNamespaces(platform: PlatformContract, namespaces: readonly string[], platformStack: string): void {
  let re: RegExp;
  try {
    re = new RegExp(platform.capsule.protectedNamespaces);
  } catch {
    throw new InputError(`platform stack ${platformStack}: output \`${TENANCY_OUTPUT}\` at capsule.protectedNamespaces is not a regular expression; update the platform stack with this version of socle`, "socle:platformStack");
  }
  const taken = namespaces.filter((ns) => re.test(ns));
  if (taken.length) {
    throw new InputError(
      `namespaces ${taken.join(", ")} of this tenant are reserved to the platform ${platformStack} (Capsule refuses every namespace matching ${platform.capsule.protectedNamespaces}); choose another socle:organization for the tenant`,
      "socle:organization",
    );
  }
}
