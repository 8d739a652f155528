import { z } from "zod";
import { isValidCidr } from "./cidr";

/**
 * The `socle:*` configuration keys of a stack, as one typed schema.
 *
 * Keys are flat (`socle:domain`, `socle:apps`) so that `pulumi config set` works on each,
 * and so that `Pulumi.yaml` can declare them with Pulumi's own simple types. Target-specific
 * settings are objects under `socle:openstack`, `socle:outscale` and `socle:existing`.
 */

export const STACK_KINDS = ["dedicated", "platform", "tenant"] as const;
export type StackKind = (typeof STACK_KINDS)[number];

export const CLOUD_TARGETS = ["openstack", "outscale", "existing"] as const;
export type CloudTarget = (typeof CLOUD_TARGETS)[number];

export const APP_NAMES = ["identity", "wiki", "docs", "chat", "mail"] as const;
export type AppName = (typeof APP_NAMES)[number];

export const SIZING_PROFILES = ["small", "medium", "large"] as const;
export type SizingProfile = (typeof SIZING_PROFILES)[number];

export const TLS_ISSUERS = ["internal-ca", "acme"] as const;
export type TlsIssuerKind = (typeof TLS_ISSUERS)[number];

/** Outscale's SecNumCloud-qualified region: the default, and the only one allowed without an override. */
export const OUTSCALE_SECNUMCLOUD_REGION = "cloudgouv-eu-west-1";

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9._-]+)*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** OpenStack flavors are free names; we accept the common `family.size` / `family-NcMg` shapes. */
const FLAVOR = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** Outscale VM types: `tinav<generation>.c<cores>r<ram>p<performance>`. */
const OUTSCALE_VM_TYPE = /^tinav[0-9]+\.c[0-9]+r[0-9]+p[1-3]$/;

const cidr = z.string().refine(isValidCidr, { message: "is not an IPv4 CIDR such as 10.0.0.0/16" });

export const nodePoolSchema = z
  .object({
    name: z.string().regex(DNS_LABEL, "must be a DNS label (lowercase letters, digits, '-')").max(20),
    flavor: z.string(),
    count: z.number().int().min(1).max(100),
  })
  .strict();

export const openstackSchema = z
  .object({
    mode: z.enum(["vms", "magnum"]).default("vms"),
    /** Name of the provider network giving external connectivity (router gateway, floating IPs). */
    externalNetwork: z.string().min(1),
    /** Regions this deployment's OpenStack cloud declares as SecNumCloud-qualified. */
    qualifiedRegions: z.array(z.string().min(1)).min(1),
    allowUnqualifiedRegion: z.boolean().default(false),
    networkCidr: cidr.default("10.20.0.0/16"),
    availabilityZones: z.array(z.string().min(1)).min(1).default(["nova"]),
    image: z.string().min(1),
    controlPlaneFlavor: z.string().regex(FLAVOR, "is not an OpenStack flavor name (letters, digits, '.', '_', '-')"),
    workerPools: z.array(nodePoolSchema.extend({ flavor: z.string().regex(FLAVOR, "is not an OpenStack flavor name") })).min(1),
    /** Cinder volume type that encrypts at rest (e.g. LUKS); boot volumes use it when set. */
    encryptedVolumeType: z.string().min(1).optional(),
    sshAccess: z.enum(["disabled", "admin-cidrs", "bastion"]).default("disabled"),
    magnumTemplate: z.string().min(1).optional(),
    /** The cloud's S3-compatible endpoint (Swift's S3 API or a Ceph RGW), for backups and app files. */
    objectStorageEndpoint: z.url({ protocol: /^https$/ }),
    /** NTP servers the nodes use; absent: the distribution's defaults. */
    ntpServers: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const outscaleSchema = z
  .object({
    mode: z.enum(["vms", "oks"]).default("vms"),
    allowNonQualifiedRegion: z.boolean().default(false),
    networkCidr: cidr.default("10.30.0.0/16"),
    subregions: z.array(z.string().min(1)).min(1).optional(),
    imageId: z.string().min(1).optional(),
    controlPlaneVmType: z.string().regex(OUTSCALE_VM_TYPE, "is not an Outscale VM type such as tinav6.c4r8p1").default("tinav6.c4r8p1"),
    workerPools: z
      .array(nodePoolSchema.extend({ flavor: z.string().regex(OUTSCALE_VM_TYPE, "is not an Outscale VM type such as tinav6.c4r8p1") }))
      .min(1)
      .default([{ name: "workers", flavor: "tinav6.c4r16p1", count: 3 }]),
    sshAccess: z.enum(["disabled", "admin-cidrs", "bastion"]).default("disabled"),
    /** Kubernetes minor version of the managed cluster (mode oks), as OKS lists it, e.g. "1.31". */
    kubernetesVersion: z.string().regex(/^\d+\.\d+$/, "must be a Kubernetes minor version such as 1.31").optional(),
    /** OUTSCALE Object Storage (OOS) endpoint of the region, for backups and app files. */
    objectStorageEndpoint: z.url({ protocol: /^https$/ }),
    ntpServers: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const existingSchema = z
  .object({
    /** Path to a kubeconfig file; absent means the ambient kubeconfig of `pulumi up`. */
    kubeconfigPath: z.string().min(1).optional(),
    storageClass: z.string().min(1).default("standard"),
    /** Region label the operator declares for the existing cluster's hosting location. */
    region: z.string().min(1).default("on-premises"),
  })
  .strict();

export const providerAttestationSchema = z
  .object({
    name: z.string().min(1),
    /** Reference of the SecNumCloud qualification decision, as published by ANSSI. */
    qualificationReference: z.string().min(1),
    /** Expiry date of that qualification, YYYY-MM-DD. */
    qualificationExpires: z.string().regex(ISO_DATE, "must be a date YYYY-MM-DD"),
    /** The provider's registered office is in the EU and it is not subject to extra-European law. */
    euJurisdiction: z.boolean(),
    /** What the provider's contract states is encrypted at rest (read by the encryption control). */
    encryptionAtRest: z.object({ blockStorage: z.boolean().default(false), objectStorage: z.boolean().default(false) }).strict().optional(),
  })
  .strict();

/** Discovery documents sit at `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0, section 4). */
export const OIDC_DISCOVERY_SUFFIX = "/.well-known/openid-configuration";

/** One upstream OpenID Connect provider agents sign in with (ProConnect, or any standard OIDC provider). */
export const federationProviderSchema = z
  .object({
    /** Alias of the provider in the realm (its broker endpoint path segment). */
    alias: z.string().regex(DNS_LABEL, "must be a DNS label (lowercase letters, digits, '-')").max(32),
    displayName: z.string().min(1).max(80),
    /** The provider's discovery document, `https://<issuer>/.well-known/openid-configuration`. */
    discoveryUrl: z
      .url({ protocol: /^https$/ })
      .refine((u) => u.endsWith(OIDC_DISCOVERY_SUFFIX), { message: `must end with ${OIDC_DISCOVERY_SUFFIX} (the provider's discovery document)` }),
    /**
     * The endpoints the discovery document lists (`authorization_endpoint`, `token_endpoint`, `jwks_uri`,
     * `userinfo_endpoint`, `end_session_endpoint`), copied from it: Keycloak's broker stores them, an
     * import does not fetch the document, and nothing is fetched at render time.
     */
    endpoints: z
      .object({
        authorization: z.url({ protocol: /^https$/ }),
        token: z.url({ protocol: /^https$/ }),
        jwks: z.url({ protocol: /^https$/ }),
        userinfo: z.url({ protocol: /^https$/ }).optional(),
        endSession: z.url({ protocol: /^https$/ }).optional(),
      })
      .strict(),
    clientId: z.string().min(1).max(255),
    /** Secret of socle's client at the provider: must be stored encrypted (`pulumi config set --secret`). */
    clientSecret: z.string().min(1).max(4096),
    /** Scopes requested; `openid` is required. */
    scopes: z
      .array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, "must be an OAuth scope token (no spaces or quotes)"))
      .min(1)
      .max(32)
      .default(["openid", "email", "profile"])
      .refine((s) => s.includes("openid"), { message: "must include openid" }),
    /** Authentication context classes accepted from the provider (`acr` claim), e.g. eidas1; empty: no level enforced. */
    acrValues: z.array(z.string().min(1).max(200)).max(16).default([]),
    /** Claims of the provider's ID token / userinfo copied to the local account. */
    claims: z
      .object({
        username: z.string().min(1).default("email"),
        email: z.string().min(1).default("email"),
        firstName: z.string().min(1).default("given_name"),
        lastName: z.string().min(1).default("family_name"),
      })
      .strict()
      .default({ username: "email", email: "email", firstName: "given_name", lastName: "family_name" }),
  })
  .strict();

export const identityFederationSchema = z
  .object({
    providers: z.array(federationProviderSchema).min(1).max(8),
    /**
     * Whether agents may still sign in with a local password. Off by default: agents sign in through a
     * provider; members of the break-glass admin group keep a local password and a one-time code.
     */
    localPasswords: z.boolean().default(false),
  })
  .strict();

const MATRIX_SERVER_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

export const chatSettingsSchema = z
  .object({
    /** `false` (default): no federation. Or the Matrix server names this homeserver may federate with. */
    federation: z
      .union([z.literal(false), z.array(z.string().regex(MATRIX_SERVER_NAME, "must be a lower-case Matrix server name such as matrix.partner.gouv.fr")).min(1).max(200)])
      .default(false),
  })
  .strict();

/** The raw `socle:*` keys of a stack file, before normalisation. Key names without the `socle:` prefix. */
export const rawConfigSchema = z
  .object({
    kind: z.enum(STACK_KINDS),
    organization: z.string().regex(DNS_LABEL, "must be a DNS label: lowercase letters, digits and '-'").max(24),
    organizationName: z.string().min(1).max(120),
    domain: z.string().regex(DOMAIN, "must be a lowercase DNS domain such as ministere.gouv.fr"),
    target: z.enum(CLOUD_TARGETS),
    region: z.string().min(1).optional(),
    apps: z.array(z.enum(APP_NAMES)).default(["identity", "wiki"]),
    sizing: z.enum(SIZING_PROFILES).default("small"),
    registryMirror: z.string().regex(REGISTRY, "must be a registry host with an optional path, such as registry.example.fr/mirror").optional(),
    adminCidrs: z.array(cidr).min(1, "needs at least one CIDR: the admin networks allowed to reach the Kubernetes API"),
    tlsIssuer: z.enum(TLS_ISSUERS).default("internal-ca"),
    acmeServer: z.url({ protocol: /^https$/ }).optional(),
    acmeEmail: z.email().optional(),
    platformStack: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be org/project/stack").optional(),
    gatewayClass: z.string().min(1).default("envoy-gateway"),
    logRetentionDays: z.number().int().min(1).max(3650).default(365),
    backupRetentionDays: z.number().int().min(1).max(3650).default(30),
    openstack: openstackSchema.optional(),
    outscale: outscaleSchema.optional(),
    existing: existingSchema.optional(),
    provider: providerAttestationSchema.optional(),
    identityFederation: identityFederationSchema.optional(),
    chat: chatSettingsSchema.optional(),
  })
  .strict();

export type FederationProvider = z.infer<typeof federationProviderSchema>;
export type IdentityFederation = z.infer<typeof identityFederationSchema>;

export type RawConfig = z.infer<typeof rawConfigSchema>;
export type OpenStackSettings = z.infer<typeof openstackSchema>;
export type OutscaleSettings = z.infer<typeof outscaleSchema>;
export type ExistingSettings = z.infer<typeof existingSchema>;
export type ProviderAttestation = z.infer<typeof providerAttestationSchema>;
export type NodePool = z.infer<typeof nodePoolSchema>;

export type CloudConfig =
  | { target: "openstack"; region: string; settings: OpenStackSettings }
  | { target: "outscale"; region: string; settings: OutscaleSettings }
  | { target: "existing"; region: string; settings: ExistingSettings };

/** The one typed configuration every component receives a slice of. */
export interface SocleConfig {
  readonly project: string;
  readonly stack: string;
  readonly kind: StackKind;
  readonly organization: { readonly id: string; readonly name: string };
  readonly domain: string;
  readonly cloud: CloudConfig;
  /** Enabled apps, in a stable order. Empty for `platform` stacks. */
  readonly apps: readonly AppName[];
  readonly sizing: SizingProfile;
  readonly registryMirror?: string;
  readonly adminCidrs: readonly string[];
  readonly tls: { readonly issuer: TlsIssuerKind; readonly acmeServer?: string; readonly acmeEmail?: string };
  readonly platformStack?: string;
  readonly gatewayClass: string;
  readonly logs: { readonly retentionDays: number };
  readonly backups: { readonly retentionDays: number };
  readonly provider?: ProviderAttestation;
  /** Upstream OIDC providers agents sign in with; absent: local accounts only. Client secrets are Pulumi secrets. */
  readonly identityFederation?: IdentityFederation;
  /** Chat federation: the allowed Matrix server names, empty when federation is off (the default). */
  readonly chat?: { readonly federationAllowlist: readonly string[] };
}
