import { z } from "zod";
import { isValidCidr, parseCidr } from "../model/cidr";
import { OUTSCALE_SECNUMCLOUD_REGION } from "../model/cloud";
import { SIZING_PROFILES, TLS_ISSUERS, type SizingProfile, type TlsIssuerKind } from "../model/names";
import { priceSheetSchema, type PriceSheet } from "../model/prices";

// Defined in the bottom layer (src/model), which charts and components read instead of the configuration.
export { OUTSCALE_SECNUMCLOUD_REGION, SIZING_PROFILES, TLS_ISSUERS, type SizingProfile, type TlsIssuerKind };

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

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9._-]+)*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** OpenStack flavors are free names; we accept the common `family.size` / `family-NcMg` shapes. */
const FLAVOR = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** Outscale VM types: `tinav<generation>.c<cores>r<ram>p<performance>`. */
const OUTSCALE_VM_TYPE = /^tinav[0-9]+\.c[0-9]+r[0-9]+p[1-3]$/;

const cidr = z.string().max(18).refine(isValidCidr, { message: "is not an IPv4 CIDR such as 10.0.0.0/16" });

/** Bounds on what a stack file may hold: sizes that no real deployment reaches, so that a mistake fails fast. */
export const LIMITS = {
  /** Worker pools of one cluster. */
  nodePools: 10,
  /** Nodes in all worker pools together (the planner and the render scale with it). */
  nodes: 100,
  /** Entries of any list setting (regions, zones, NTP servers, admin CIDRs). */
  listEntries: 64,
  /** Characters of a free-text setting. */
  text: 253,
  /** Tenant stacks one platform binds (socle:tenants): far above the fleets the benchmark renders. */
  tenants: 5000,
  /** Characters of a URL or a path. */
  long: 2048,
} as const;

/**
 * Settings that may hold values stored encrypted (`secure:` in the stack file): only `identityFederation`,
 * whose providers' client secrets must be (`pulumi config set --secret --path`). Every other credential comes
 * from the provider's environment variables or is generated.
 */
export const SECRET_SETTINGS: ReadonlySet<string> = new Set<string>(["identityFederation"]);

const text = z.string().min(1).max(LIMITS.text);

/** An https URL without credentials: user:password@ in a URL lands in state, manifests and logs. */
const httpsUrl = z
  .url({ protocol: /^https$/ })
  .max(LIMITS.long)
  .refine((u) => !/^https:\/\/[^/?#]*@/i.test(u), {
    message: "must not carry credentials (user:password@ in the URL): give them through the environment or a secret store, as the rest of socle does",
  });

export const nodePoolSchema = z
  .object({
    name: z.string().max(20).regex(DNS_LABEL, "must be a DNS label (lowercase letters, digits, '-')"),
    flavor: z.string(),
    count: z.number().int().min(1).max(100),
  })
  .strict();

export const openstackSchema = z
  .object({
    mode: z.enum(["vms", "magnum"]).default("vms"),
    /** Name of the provider network giving external connectivity (router gateway, floating IPs). */
    externalNetwork: text,
    /** Regions this deployment's OpenStack cloud declares as SecNumCloud-qualified. */
    qualifiedRegions: z.array(text).min(1).max(LIMITS.listEntries),
    allowUnqualifiedRegion: z.boolean().default(false),
    networkCidr: cidr.default("10.20.0.0/16"),
    availabilityZones: z.array(text).min(1).max(LIMITS.listEntries).default(["nova"]),
    image: text,
    controlPlaneFlavor: z.string().regex(FLAVOR, "is not an OpenStack flavor name (letters, digits, '.', '_', '-')"),
    workerPools: z.array(nodePoolSchema.extend({ flavor: z.string().regex(FLAVOR, "is not an OpenStack flavor name") })).min(1).max(LIMITS.nodePools),
    /** Cinder volume type that encrypts at rest (e.g. LUKS); boot volumes use it when set. */
    encryptedVolumeType: text.optional(),
    sshAccess: z.enum(["disabled", "admin-cidrs", "bastion"]).default("disabled"),
    magnumTemplate: text.optional(),
    /** The cloud's S3-compatible endpoint (Swift's S3 API or a Ceph RGW), for backups and app files. */
    objectStorageEndpoint: httpsUrl,
    /** NTP servers the nodes use; absent: the distribution's defaults. */
    ntpServers: z.array(text).max(LIMITS.listEntries).optional(),
  })
  .strict();

export const outscaleSchema = z
  .object({
    mode: z.enum(["vms", "oks"]).default("vms"),
    allowNonQualifiedRegion: z.boolean().default(false),
    networkCidr: cidr.default("10.30.0.0/16"),
    subregions: z.array(text).min(1).max(LIMITS.listEntries).optional(),
    imageId: text.optional(),
    controlPlaneVmType: z.string().regex(OUTSCALE_VM_TYPE, "is not an Outscale VM type such as tinav6.c4r8p1").default("tinav6.c4r8p1"),
    workerPools: z
      .array(nodePoolSchema.extend({ flavor: z.string().regex(OUTSCALE_VM_TYPE, "is not an Outscale VM type such as tinav6.c4r8p1") }))
      .min(1)
      .max(LIMITS.nodePools)
      .default([{ name: "workers", flavor: "tinav6.c4r16p1", count: 3 }]),
    sshAccess: z.enum(["disabled", "admin-cidrs", "bastion"]).default("disabled"),
    /** Kubernetes minor version of the managed cluster (mode oks), as OKS lists it, e.g. "1.31". */
    kubernetesVersion: z.string().regex(/^\d+\.\d+$/, "must be a Kubernetes minor version such as 1.31").optional(),
    /** OUTSCALE Object Storage (OOS) endpoint of the region, for backups and app files. */
    objectStorageEndpoint: httpsUrl,
    ntpServers: z.array(text).max(LIMITS.listEntries).optional(),
  })
  .strict();

export const existingSchema = z
  .object({
    /** Absolute path to a kubeconfig file; absent means the ambient kubeconfig of `pulumi up`. */
    kubeconfigPath: z
      .string()
      .min(1)
      .max(LIMITS.long)
      .refine((p) => p.startsWith("/"), { message: "must be an absolute path (a relative one depends on where pulumi runs)" })
      .optional(),
    storageClass: text.default("standard"),
    /** Region label the operator declares for the existing cluster's hosting location. */
    region: text.default("on-premises"),
  })
  .strict();

export const providerAttestationSchema = z
  .object({
    name: text,
    /** Reference of the SecNumCloud qualification decision, as published by ANSSI. */
    qualificationReference: text,
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

/**
 * OpenCost on a platform stack, opt-in. The price sheet is written inline, in the stack file, with the schema of
 * `socle usage --prices` (src/model/prices.ts): the stack file is the one input of a render and of `pulumi up`
 * (a path would be read on whichever machine runs the program, e.g. inside a Pulumi Kubernetes Operator
 * Workspace where it does not exist), `pulumi config set --path 'socle:opencost.priceSheet.prices.vcpuMonth' 12`
 * edits it, and `socle usage` reads the same sheet from the platform stack when `--prices` is not given.
 */
export const openCostSettingsSchema = z
  .object({
    priceSheet: priceSheetSchema,
  })
  .strict();

/** Node ranges are nodes' networks, never the Internet: at most a /8 each. */
export const NODE_CIDR_MIN_PREFIX = 8;

/**
 * Monitoring settings of a stack that runs the platform services (`dedicated` or `platform`).
 * `nodeCidrs`: the IPv4 ranges of the cluster's node addresses (the kubelets' `InternalIP`). When known,
 * Prometheus may reach the kubelets there on 10250 and scrapes cAdvisor's container usage (what OpenCost needs
 * for measured actuals). Default: the cloud network when the stack provisions the cluster; none on `existing`.
 */
export const monitoringSettingsSchema = z
  .object({
    nodeCidrs: z
      .array(
        cidr.refine((c) => (parseCidr(c)?.prefix ?? NODE_CIDR_MIN_PREFIX) >= NODE_CIDR_MIN_PREFIX, {
          message: `is larger than a /${NODE_CIDR_MIN_PREFIX}: give the nodes' own ranges, not the Internet`,
        }),
      )
      .min(1, "needs at least one CIDR, the nodes' address range; remove socle:monitoring to leave kubelet scraping off")
      .max(LIMITS.listEntries)
      .optional(),
  })
  .strict();

/** The raw `socle:*` keys of a stack file, before normalisation. Key names without the `socle:` prefix. */
export const rawConfigSchema = z
  .object({
    kind: z.enum(STACK_KINDS),
    organization: z.string().max(24).regex(DNS_LABEL, "must be a DNS label: lowercase letters, digits and '-'"),
    organizationName: z.string().min(1).max(120),
    /** The organization id this stack had before a rename: the explicit acknowledgement of the rename migration (docs/migrations.md). */
    previousOrganization: z.string().max(24).regex(DNS_LABEL, "must be a DNS label: lowercase letters, digits and '-'").optional(),
    domain: z.string().max(253).regex(DOMAIN, "must be a lowercase DNS domain such as ministere.gouv.fr"),
    target: z.enum(CLOUD_TARGETS),
    region: text.optional(),
    apps: z.array(z.enum(APP_NAMES)).max(LIMITS.listEntries).default(["identity", "wiki"]),
    sizing: z.enum(SIZING_PROFILES).default("small"),
    registryMirror: z.string().max(LIMITS.text).regex(REGISTRY, "must be a registry host with an optional path, such as registry.example.fr/mirror").optional(),
    adminCidrs: z.array(cidr).min(1, "needs at least one CIDR: the admin networks allowed to reach the Kubernetes API").max(LIMITS.listEntries),
    /** The largest admin range allowed, as a prefix length: no entry of adminCidrs may be larger, nor their public addresses more than one such range. */
    adminCidrMinPrefix: z.number().int().min(8).max(32).default(16),
    tlsIssuer: z.enum(TLS_ISSUERS).default("internal-ca"),
    acmeServer: httpsUrl.optional(),
    acmeEmail: z.email().max(LIMITS.text).optional(),
    platformStack: z.string().max(LIMITS.text).regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be org/project/stack").optional(),
    /**
     * A platform: the stacks of the tenants it binds (their buckets and key in its Garage, their volumes in its
     * Velero), as stack names of the same organization and project; maintained by `socle tenant add|remove`.
     */
    tenants: z
      .array(z.string().max(100).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "must be a stack name (letters, digits, '-', '_', '.'), as in stacks/Pulumi.<stack>.yaml"))
      .max(LIMITS.tenants)
      .default([]),
    gatewayClass: text.default("envoy-gateway"),
    logRetentionDays: z.number().int().min(1).max(3650).default(365),
    backupRetentionDays: z.number().int().min(1).max(3650).default(30),
    openstack: openstackSchema.optional(),
    outscale: outscaleSchema.optional(),
    existing: existingSchema.optional(),
    provider: providerAttestationSchema.optional(),
    identityFederation: identityFederationSchema.optional(),
    chat: chatSettingsSchema.optional(),
    opencost: openCostSettingsSchema.optional(),
    monitoring: monitoringSettingsSchema.optional(),
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
  readonly organization: { readonly id: string; readonly name: string; readonly previousId?: string };
  readonly domain: string;
  readonly cloud: CloudConfig;
  /** Enabled apps, in a stable order. Empty for `platform` stacks. */
  readonly apps: readonly AppName[];
  readonly sizing: SizingProfile;
  readonly registryMirror?: string;
  readonly adminCidrs: readonly string[];
  /** The largest IPv4 range (a prefix length) allowed to reach administration ports. */
  readonly adminCidrMinPrefix?: number;
  readonly tls: { readonly issuer: TlsIssuerKind; readonly acmeServer?: string; readonly acmeEmail?: string };
  readonly platformStack?: string;
  /** A platform: the tenant stacks it binds (socle:tenants), sorted; empty otherwise. */
  readonly tenants?: readonly string[];
  readonly gatewayClass: string;
  readonly logs: { readonly retentionDays: number };
  readonly backups: { readonly retentionDays: number };
  readonly provider?: ProviderAttestation;
  /** Upstream OIDC providers agents sign in with; absent: local accounts only. Client secrets are Pulumi secrets. */
  readonly identityFederation?: IdentityFederation;
  /** Chat federation: the allowed Matrix server names, empty when federation is off (the default). */
  readonly chat?: { readonly federationAllowlist: readonly string[] };
  /** OpenCost on a platform stack, priced by this sheet (`socle:opencost`); absent: not deployed. */
  readonly opencost?: { readonly priceSheet: PriceSheet };
  /**
   * Prometheus' view of the nodes: their address ranges (`socle:monitoring.nodeCidrs`, else the cloud network the
   * stack provisions), sorted; empty when unknown (`target: existing` without the setting, or a tenant stack),
   * and then the kubelets are not scraped.
   */
  readonly monitoring: { readonly nodeCidrs: readonly string[]; readonly source: "setting" | "cloud network" | "none" };
}
