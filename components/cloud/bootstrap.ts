import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { joinToken, renderCloudInit, type NodeBootstrap } from "./plan/cloud-init";
import { ClusterPki } from "./pki";

export interface BootstrapArgs {
  readonly organization: string;
  readonly domain: string;
  /** Address of the internal API load balancer (name or IP), known after it is created. */
  readonly apiHost: pulumi.Input<string>;
  readonly ntpServers?: readonly string[];
  readonly etcdSnapshots: number;
  readonly registryMirror?: string;
  /** The kube-system Secret with the etcd snapshots' S3 settings (etcd-snapshots.ts), when snapshots leave the servers. */
  readonly etcdS3Secret?: string;
}

/** Component type of a node's reviewable cloud-init (outputs `nodeName`, `role`, `cloudInit`), read by `socle render`. */
export const NODE_CLOUD_INIT_TYPE = "socle:cloud:NodeCloudInit";
/** Stand-ins in the reviewable cloud-init; the same strings as socle render's markers (src/render/markers.ts). */
export const REVIEW_MARKERS = { secret: "[secret]", unknown: "[unknown: known after pulumi up]" } as const;

/**
 * What every RKE2 node of a cluster shares: two join secrets (the server token, and the agent token that is
 * all a worker receives), the cluster PKI, and the cloud-init each node boots with. Tokens take RKE2's secure
 * `K10<ca-hash>::` form, computed from the CA socle generates, so a joining node verifies the server first.
 * User data is a secret: it carries a token and, for the first server, the CA keys. Each node also gets a
 * reviewable copy of its cloud-init, with markers in place of secrets and of values known only after
 * `pulumi up` (a `socle:cloud:NodeCloudInit` component; `socle render` writes them to `cloud-init/`).
 */
export class Rke2Bootstrap {
  readonly serverToken: random.RandomPassword;
  readonly agentToken: random.RandomPassword;
  readonly pki: ClusterPki;

  constructor(
    private readonly name: string,
    private readonly args: BootstrapArgs,
    private readonly parent: pulumi.Resource,
  ) {
    // Letters and digits only: the password follows `user:` in the token.
    this.serverToken = new random.RandomPassword(`${name}-join-token`, { length: 64, special: false }, { parent });
    this.agentToken = new random.RandomPassword(`${name}-agent-token`, { length: 64, special: false }, { parent });
    this.pki = new ClusterPki(`${name}-pki`, { organization: args.organization }, { parent });
  }

  /** cloud-init of one node, as a secret; `first` is the server that initialises the cluster. */
  userData(role: "server" | "agent", nodeName: string, first: boolean, labels: Readonly<Record<string, string>> = {}): pulumi.Output<string> {
    const { args, pki } = this;
    const node = (host: string, token: string, agentToken: string | undefined, ca: NodeBootstrap["clusterCa"]): NodeBootstrap => ({
      role,
      nodeName,
      token,
      ...(agentToken !== undefined ? { agentToken } : {}),
      ...(first ? {} : { joinUrl: `https://${host}:9345` }),
      tlsSans: [host, `api.${args.domain}`],
      ...(args.ntpServers ? { ntpServers: args.ntpServers } : {}),
      ...(ca ? { clusterCa: ca } : {}),
      etcdSnapshots: args.etcdSnapshots,
      ...(args.etcdS3Secret && role === "server" ? { etcdS3Secret: args.etcdS3Secret } : {}),
      ...(args.registryMirror ? { registryMirror: args.registryMirror } : {}),
      nodeLabels: labels,
    });
    const { secret: S, unknown: U } = REVIEW_MARKERS;
    const review = node(U, S, role === "server" ? S : undefined, first ? { server: { certPem: U, keyPem: S }, client: { certPem: U, keyPem: S } } : undefined);
    new NodeCloudInit(`${this.name}-${nodeName}-cloud-init`, { nodeName, role, cloudInit: renderCloudInit(review) }, { parent: this.parent });
    return pulumi.secret(
      pulumi
        .all([this.serverToken.result, this.agentToken.result, args.apiHost, pki.serverCa.certPem, pki.serverCa.keyPem, pki.clientCa.certPem, pki.clientCa.keyPem])
        .apply(([serverPassword, agentPassword, host, serverCert, serverKey, clientCert, clientKey]) => {
          const agentToken = joinToken(serverCert, "node", agentPassword);
          const token = role === "server" ? joinToken(serverCert, "server", serverPassword) : agentToken;
          const ca = first ? { server: { certPem: serverCert, keyPem: serverKey }, client: { certPem: clientCert, keyPem: clientKey } } : undefined;
          return renderCloudInit(node(host, token, role === "server" ? agentToken : undefined, ca));
        }),
    );
  }
}

/** A node's reviewable cloud-init (markers for secrets and for values known after `pulumi up`): no cloud resource. */
class NodeCloudInit extends pulumi.ComponentResource {
  constructor(name: string, outputs: { readonly nodeName: string; readonly role: string; readonly cloudInit: string }, opts: pulumi.ComponentResourceOptions) {
    super(NODE_CLOUD_INIT_TYPE, name, {}, opts);
    this.registerOutputs(outputs);
  }
}
