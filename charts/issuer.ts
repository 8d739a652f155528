import { ApiObject, App, Chart } from "cdk8s";
import type { TlsIssuerKind } from "../src/model/names";

export const CLUSTER_ISSUER = "socle";
export const CERT_MANAGER_NAMESPACE = "cert-manager";

export interface IssuerChartProps {
  readonly kind: TlsIssuerKind;
  readonly organization: string;
  readonly acmeServer?: string;
  readonly acmeEmail?: string;
}

/**
 * The ClusterIssuer every app certificate names. `internal-ca`: a private CA made in the cluster (its
 * root is distributed to agents' devices by the ministry). `acme`: an ACME directory the stack names,
 * so a sovereign CA can be used; nothing defaults to a US-hosted one.
 */
export class IssuerChart extends Chart {
  constructor(scope: App, id: string, props: IssuerChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    if (props.kind === "acme") {
      if (!props.acmeServer) throw new Error("IssuerChart: acme issuer needs acmeServer");
      new ApiObject(this, "acme", {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: CLUSTER_ISSUER },
        spec: {
          acme: {
            server: props.acmeServer,
            ...(props.acmeEmail ? { email: props.acmeEmail } : {}),
            privateKeySecretRef: { name: "socle-acme-account" },
            solvers: [{ http01: { gatewayHTTPRoute: { parentRefs: [{ name: "socle", namespace: "socle-gateway", kind: "Gateway" }] } } }],
          },
        },
      });
      return;
    }
    new ApiObject(this, "selfsigned", {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: "socle-selfsigned" },
      spec: { selfSigned: {} },
    });
    new ApiObject(this, "root", {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: "socle-root-ca", namespace: CERT_MANAGER_NAMESPACE },
      spec: {
        isCA: true,
        commonName: `${props.organization} socle root CA`,
        secretName: "socle-root-ca",
        duration: "87600h",
        privateKey: { algorithm: "ECDSA", size: 384 },
        issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: "socle-selfsigned" },
      },
    });
    new ApiObject(this, "ca", {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: CLUSTER_ISSUER },
      spec: { ca: { secretName: "socle-root-ca" } },
    });
  }
}

export function renderIssuerChart(props: IssuerChartProps): Record<string, unknown>[] {
  const app = new App();
  return new IssuerChart(app, "issuer", props).toJson() as Record<string, unknown>[];
}
