import { stringify } from "yaml";
import { FleetOptionError } from "./engine";

/**
 * `socle fleet export --operator`: Pulumi Kubernetes Operator objects so that the platform cluster runs
 * the tenants' updates itself. Fields from the operator's CRDs at the version we pin (v2.9.0,
 * /work/shared/crds/pulumi-operator/pulumi.com_stacks.yaml, see ../shared/crds/SOURCES.md): one
 * `pulumi.com/v1 Stack` per tenant; in operator v2 the Stack controller creates the tenant's
 * `auto.pulumi.com/v1alpha1 Workspace` itself, pinned through `spec.workspaceTemplate` (image,
 * resources, security profile, service account), so no Workspace object is written. Each tenant gets
 * its own ServiceAccount bound to `system:auth-delegator`, as the operator's own example does
 * (pulumi/pulumi-kubernetes-operator examples/git-source/stack.yaml): the operator authenticates to
 * the workspace pod with that account's token.
 */
export interface OperatorOptions {
  readonly platform: string;
  readonly tenants: readonly string[];
  /** The organisation's Git mirror of the socle repository (required; no public default). */
  readonly gitUrl: string;
  readonly branch: string;
  /** Checked by checkBackend: self-managed, never Pulumi Cloud. */
  readonly backend: string;
  /** Checked by checkSecretsProvider: passphrase or hashivault://<key>. */
  readonly secretsProvider: string;
  /** Vault or OpenBao address, required with hashivault://. */
  readonly vaultAddr?: string;
  /** The workspace image, from the organisation's registry (the operator's default is on Docker Hub). */
  readonly image: string;
  /** Namespace the Stack objects and their workspaces live in. */
  readonly namespace: string;
  /** Secret (in `namespace`) holding `passphrase` or `vault-token`, and the backend's credentials. */
  readonly secretName: string;
}

/** Resources of each tenant's workspace pod: a socle tenant program holds a few hundred resources. */
export const WORKSPACE_RESOURCES = { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } } as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const GIT_URL = /^(https:\/\/|ssh:\/\/|git@[A-Za-z0-9.-]+:)[^\s]+$/;

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: unknown };

/** Checks the options an operator export needs; FleetOptionError (exit 2) with the fix. */
export function checkOperatorOptions(o: OperatorOptions): void {
  if (!GIT_URL.test(o.gitUrl)) throw new FleetOptionError(`--git-url ${JSON.stringify(o.gitUrl)} is not a Git URL (https://…, ssh://… or git@host:path): give your organisation's mirror of the socle repository`);
  if (/^https:\/\/[^/@]*:[^/@]*@/.test(o.gitUrl)) throw new FleetOptionError("--git-url holds a password or token: it would be written in clear into the Stack objects; give the URL without it and the credentials through the operator's gitAuth Secret");
  if (!/^[A-Za-z0-9._\/-]{1,200}$/.test(o.branch)) throw new FleetOptionError(`--branch ${JSON.stringify(o.branch)} is not a branch name`);
  if (!DNS_LABEL.test(o.namespace)) throw new FleetOptionError(`--namespace ${JSON.stringify(o.namespace)} is not a DNS label (lowercase letters, digits, '-')`);
  if (!DNS_LABEL.test(o.secretName)) throw new FleetOptionError(`--secret ${JSON.stringify(o.secretName)} is not a DNS label`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._\/:@-]{0,250}$/.test(o.image)) throw new FleetOptionError(`--image ${JSON.stringify(o.image)} is not an image reference`);
  // A reference without a registry host (`pulumi/pulumi`) means Docker Hub.
  const host = o.image.includes("/") ? o.image.split("/")[0] : "";
  const hasHost = host.includes(".") || host.includes(":") || host === "localhost";
  if (!hasHost || /^(docker\.io|index\.docker\.io|registry-1\.docker\.io|ghcr\.io|public\.ecr\.aws|gcr\.io|quay\.io|mcr\.microsoft\.com)$/.test(host) || host.endsWith(".gcr.io") || host.endsWith(".pkg.dev")) {
    throw new FleetOptionError(`--image ${o.image} is on a public, US-hosted registry: mirror the Pulumi workspace image into your organisation's registry and give that reference`);
  }
  if (o.secretsProvider.startsWith("hashivault://") && !o.vaultAddr) throw new FleetOptionError("--secrets-provider hashivault://… needs --vault-addr (your Vault or OpenBao address)");
  if (o.vaultAddr !== undefined && !/^https:\/\/[^\s]+$/.test(o.vaultAddr)) throw new FleetOptionError(`--vault-addr ${JSON.stringify(o.vaultAddr)} is not an https:// URL`);
  let backend: URL;
  try {
    backend = new URL(o.backend);
  } catch {
    throw new FleetOptionError(`--backend ${o.backend} is not a URL`);
  }
  if (backend.password) throw new FleetOptionError("--backend holds a password: it would be written in clear into the Stack objects; leave it out of the URL, socle reads it from the Secret (PGPASSWORD)");
  if (backend.protocol === "file:") throw new FleetOptionError("--backend file://… is a folder of this machine, not reachable from the workspace pods: use s3://…?endpoint=… or postgres://");
}

function sa(tenant: string): string {
  return `socle-fleet-${tenant}`.slice(0, 63).replace(/-+$/, "");
}

/** The objects, in a stable order: Namespace, then per tenant (code-unit order) ServiceAccount, ClusterRoleBinding, Stack. */
export function operatorObjects(o: OperatorOptions): K8sObject[] {
  checkOperatorOptions(o);
  const labels = { "app.kubernetes.io/managed-by": "socle", "socle.eu/platform": o.platform };
  const objects: K8sObject[] = [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: o.namespace,
        labels: { ...labels, "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" },
      },
    },
  ];
  const envRefs: Record<string, unknown> = { PULUMI_BACKEND_URL: { type: "Literal", literal: { value: o.backend } } };
  const secret = (key: string) => ({ type: "Secret", secret: { name: o.secretName, key } });
  if (o.secretsProvider === "passphrase") envRefs.PULUMI_CONFIG_PASSPHRASE = secret("passphrase");
  else {
    envRefs.VAULT_ADDR = { type: "Literal", literal: { value: o.vaultAddr } };
    envRefs.VAULT_TOKEN = secret("vault-token");
  }
  if (o.backend.startsWith("s3://")) {
    envRefs.AWS_ACCESS_KEY_ID = secret("backend-access-key-id");
    envRefs.AWS_SECRET_ACCESS_KEY = secret("backend-secret-access-key");
  } else if (/^postgres(ql)?:\/\//.test(o.backend)) envRefs.PGPASSWORD = secret("backend-password");
  for (const tenant of [...o.tenants].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!DNS_LABEL.test(tenant.toLowerCase()) || tenant !== tenant.toLowerCase()) {
      throw new FleetOptionError(`tenant stack ${tenant} is not a DNS label, so it cannot name a Stack object: rename stacks/Pulumi.${tenant}.yaml`);
    }
    const account = sa(tenant);
    const tl = { ...labels, "socle.eu/tenant": tenant };
    objects.push(
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: account, namespace: o.namespace, labels: tl }, automountServiceAccountToken: true },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: `${o.namespace}:${account}:system:auth-delegator`, labels: tl },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" },
        subjects: [{ kind: "ServiceAccount", name: account, namespace: o.namespace }],
      },
      {
        apiVersion: "pulumi.com/v1",
        kind: "Stack",
        metadata: { name: tenant, namespace: o.namespace, labels: tl },
        spec: {
          stack: tenant,
          projectRepo: o.gitUrl,
          branch: o.branch,
          shallow: true,
          backend: o.backend,
          secretsProvider: o.secretsProvider,
          envRefs,
          serviceAccountName: account,
          refresh: true,
          // Deleting the object must never destroy a tenant's data: offboarding is `socle tenant remove`.
          destroyOnFinalize: false,
          useLocalStackOnly: false,
          workspaceTemplate: {
            spec: {
              image: o.image,
              securityProfile: "restricted",
              serviceAccountName: account,
              resources: { requests: { ...WORKSPACE_RESOURCES.requests }, limits: { ...WORKSPACE_RESOURCES.limits } },
            },
          },
        },
      },
    );
  }
  return objects;
}

/** One multi-document YAML file, same bytes for the same inputs. */
export function operatorYaml(objects: readonly K8sObject[]): string {
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0, sortMapEntries: false })}`).join("");
}
