import { ApiObject } from "cdk8s";
import type { Construct } from "constructs";
import type { BackupCredentialsSecret, DatabaseCredentials } from "./secrets";

/**
 * Custom resources socle emits, typed by the fields it sets. Their full schemas are the upstream
 * CRDs in ../shared/crds; tests validate every emitted object against them.
 */

export interface S3Destination {
  /** `s3://bucket/prefix`. */
  readonly destinationPath: string;
  readonly endpointURL: string;
  /** Secret holding the bucket's key (its contract: `ACCESS_KEY_ID`, `ACCESS_SECRET_KEY`). */
  readonly credentialsSecret: BackupCredentialsSecret;
  /** Region of the object store, stated on the Cluster for auditors when the endpoint's host does not show it. */
  readonly region?: string;
}

export interface PostgresClusterProps {
  readonly name: string;
  readonly namespace: string;
  readonly imageName: string;
  readonly instances: number;
  readonly storageSize: string;
  readonly storageClass: string;
  readonly database: string;
  readonly owner: string;
  /** Secret of type basic-auth holding the owner's username and password. */
  readonly ownerSecret: DatabaseCredentials;
  readonly resources: Record<string, unknown>;
  readonly backup: S3Destination & { readonly retentionDays: number };
}

/** Plugin name in `Cluster.spec.plugins[]` and `ScheduledBackup.spec.pluginConfiguration` (charts/platform/barman-plugin.ts). */
export const BARMAN_CLOUD_PLUGIN = "barman-cloud.cloudnative-pg.io";

/** Name of the `ObjectStore` a cluster archives to. */
export function backupStoreName(cluster: string): string {
  return `${cluster}-backup`;
}

/**
 * A CloudNativePG `Cluster` with WAL archiving and base backups to S3 through the Barman Cloud plugin,
 * spread across nodes, and its `ObjectStore`.
 *
 * The in-tree `spec.backup.barmanObjectStore` runs barman-cloud inside the postgres container, and the
 * catalog's `standard` images have none; the plugin runs it in a sidecar it injects. Mapping from
 * cloudnative-pg/plugin-barman-cloud v0.14.0 web/docs/migration.md: `barmanObjectStore` moves to
 * `ObjectStore.spec.configuration`, `spec.backup.retentionPolicy` to `ObjectStore.spec.retentionPolicy`,
 * and the Cluster names the store in `spec.plugins[]` with `isWALArchiver: true`.
 *
 * No `encryption`: the object stores socle targets do not implement SSE-S3 (Garage implements SSE-C
 * only: deuxfleurs-org/garage src/api/s3/encryption.rs), so `encryption: AES256` would be silently ignored
 * and claim a protection that is not there.
 */
export function postgresCluster(scope: Construct, props: PostgresClusterProps): ApiObject {
  const store = backupStoreName(props.name);
  const region = props.backup.region ? { annotations: { "socle.io/region": props.backup.region } } : {};
  new ApiObject(scope, `${props.name}-object-store`, {
    apiVersion: "barmancloud.cnpg.io/v1",
    kind: "ObjectStore",
    metadata: { name: store, namespace: props.namespace, ...region },
    spec: {
      retentionPolicy: `${props.backup.retentionDays}d`,
      // The sidecar the plugin injects into every instance gets these (it sets none of its own: plugin
      // v0.13.0 internal/cnpgi/operator/lifecycle.go `sidecarTemplate.Resources = config.resources`); its
      // security context is restricted-compliant there (no escalation, non-root, read-only, ALL dropped).
      instanceSidecarConfiguration: { resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } } },
      configuration: {
        destinationPath: props.backup.destinationPath,
        endpointURL: props.backup.endpointURL,
        s3Credentials: {
          accessKeyId: props.backup.credentialsSecret.ref("ACCESS_KEY_ID"),
          secretAccessKey: props.backup.credentialsSecret.ref("ACCESS_SECRET_KEY"),
        },
        wal: { compression: "gzip" },
        data: { compression: "gzip" },
      },
    },
  });
  return new ApiObject(scope, `${props.name}-cluster`, {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: {
      name: props.name,
      namespace: props.namespace,
      labels: { "socle.io/stateful": "true" },
      ...region,
    },
    spec: {
      instances: props.instances,
      imageName: props.imageName,
      enableSuperuserAccess: false,
      storage: { size: props.storageSize, storageClass: props.storageClass },
      bootstrap: { initdb: { database: props.database, owner: props.owner, secret: { name: props.ownerSecret.name } } },
      resources: props.resources,
      affinity: { enablePodAntiAffinity: true, podAntiAffinityType: "required", topologyKey: "kubernetes.io/hostname" },
      postgresql: { parameters: { log_connections: "on", log_disconnections: "on", ssl_min_protocol_version: "TLSv1.2" } },
      plugins: [{ name: BARMAN_CLOUD_PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: store } }],
    },
  });
}

/** Nightly base backup of a CloudNativePG cluster through the Barman Cloud plugin (WAL is archived continuously). */
export function scheduledBackup(scope: Construct, props: { name: string; namespace: string; cluster: string; schedule: string }): ApiObject {
  return new ApiObject(scope, `${props.name}-scheduled-backup`, {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "ScheduledBackup",
    metadata: { name: props.name, namespace: props.namespace },
    spec: {
      schedule: props.schedule,
      cluster: { name: props.cluster },
      backupOwnerReference: "self",
      method: "plugin",
      pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN },
      immediate: true,
    },
  });
}

export interface GatewayRef {
  /** `Gateway` (a dedicated stack's own) or `ListenerSet` (a tenant's, attached to its platform's Gateway). Absent: Gateway. */
  readonly kind?: "Gateway" | "ListenerSet";
  readonly name: string;
  readonly namespace: string;
}

/** The route's parent: the hostname's listener on the Gateway or on the tenant's ListenerSet. */
export function routeParent(gateway: GatewayRef, listener: string) {
  return { group: "gateway.networking.k8s.io", kind: gateway.kind ?? "Gateway", name: gateway.name, namespace: gateway.namespace, sectionName: listener };
}

/** An HTTPRoute attached to the HTTPS listener of the shared gateway for one hostname. */
export function httpRoute(
  scope: Construct,
  props: { name: string; namespace: string; hostname: string; gateway: GatewayRef; listener: string; service: string; port: number },
): ApiObject {
  return new ApiObject(scope, `${props.name}-route`, {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: props.name, namespace: props.namespace },
    spec: {
      parentRefs: [routeParent(props.gateway, props.listener)],
      hostnames: [props.hostname],
      rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ kind: "Service", name: props.service, port: props.port }] }],
    },
  });
}

/** A cert-manager Certificate for one hostname, stored where the gateway reads it. */
export function certificate(
  scope: Construct,
  props: { name: string; namespace: string; secretName: string; dnsNames: readonly string[]; issuer: string },
): ApiObject {
  return new ApiObject(scope, `${props.name}-certificate`, {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: props.name, namespace: props.namespace },
    spec: {
      secretName: props.secretName,
      dnsNames: [...props.dnsNames],
      issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: props.issuer },
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      duration: "2160h",
      renewBefore: "720h",
    },
  });
}

/**
 * An Envoy Gateway `SecurityPolicy` (gateway.envoyproxy.io/v1alpha1) on one HTTPRoute that denies every
 * request whose client address is outside `cidrs`. API read in envoyproxy/gateway
 * api/v1alpha1/authorization_types.go at branch release/v1.8 (61bbf19e675b2c3afeaae4ebf4c30da0425a7c39):
 * `authorization.rules[].principal.clientCIDRs`, `action: Allow|Deny`, `defaultAction` (Deny when unset).
 * The client address is the connection's peer unless a ClientTrafficPolicy says otherwise; the proxies'
 * Service keeps source addresses with `externalTrafficPolicy: Local`, Envoy Gateway's default
 * (api/v1alpha1/shared_types.go, same commit). A load balancer that rewrites the source address makes
 * every client look like the balancer: then the policy denies everyone (it fails closed).
 */
export function ipAllowlist(scope: Construct, props: { name: string; namespace: string; route: string; cidrs: readonly string[] }): ApiObject {
  if (props.cidrs.length === 0) throw new Error(`ipAllowlist ${props.namespace}/${props.name}: no CIDR given; publish no route instead of an allowlist that admits nobody`);
  return new ApiObject(scope, `${props.name}-security-policy`, {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "SecurityPolicy",
    metadata: { name: props.name, namespace: props.namespace },
    spec: {
      targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: props.route }],
      authorization: {
        defaultAction: "Deny",
        rules: [{ name: "admin-networks", action: "Allow", principal: { clientCIDRs: [...props.cidrs] } }],
      },
    },
  });
}
