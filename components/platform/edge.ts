import * as pulumi from "@pulumi/pulumi";
import { renderGatewayChart, type GatewayChartProps } from "../../charts/gateway";
import { renderIssuerChart, type IssuerChartProps } from "../../charts/issuer";
import { renderGatewayClass } from "../../charts/platform/gateway-class";
import type { PlatformImages } from "../../charts/platform/images";
import { CERT_MANAGER_CHART, ENVOY_GATEWAY_CHART, TRUST_MANAGER_CHART } from "../../charts/platform/releases";
import { certManagerValues, envoyGatewayValues, trustManagerValues } from "../../charts/platform/values";
import { renderTrustChart } from "../../charts/trust";
import type { SizingProfile } from "../../src/model/names";
import { manifestGroup } from "../lib/manifests";
import { pinnedRelease } from "./helm";

export interface EdgeArgs {
  readonly gateway: GatewayChartProps;
  readonly issuer: IssuerChartProps;
  readonly images: PlatformImages;
  readonly sizing: SizingProfile;
}

/**
 * The suite's front door: Envoy Gateway (Gateway API implementation) and its GatewayClass, cert-manager
 * with Gateway API support and the ClusterIssuer, then the shared Gateway (HTTPS only, TLS >= 1.2).
 */
export class Edge extends pulumi.ComponentResource {
  constructor(name: string, args: EdgeArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:platform:Edge", name, {}, opts);
    const envoy = pinnedRelease("envoy-gateway", ENVOY_GATEWAY_CHART, envoyGatewayValues(args.images, args.sizing), { parent: this }, args.images.registryMirror);
    const certManager = pinnedRelease("cert-manager", CERT_MANAGER_CHART, certManagerValues(args.images, args.sizing), { parent: this, dependsOn: [envoy] }, args.images.registryMirror);
    const gatewayClass = manifestGroup(`${name}-gateway-class`, renderGatewayClass(args.gateway.gatewayClass), { parent: this, dependsOn: [envoy] });
    const issuer = manifestGroup(`${name}-issuer`, renderIssuerChart(args.issuer), { parent: this, dependsOn: [certManager] });
    if (args.issuer.kind === "internal-ca") {
      const trustManager = pinnedRelease("trust-manager", TRUST_MANAGER_CHART, trustManagerValues(args.images, args.sizing), { parent: this, dependsOn: [certManager] }, args.images.registryMirror);
      manifestGroup(`${name}-trust`, renderTrustChart({ rootSecret: "socle-root-ca" }), { parent: this, dependsOn: [trustManager, issuer] });
    }
    manifestGroup(`${name}-gateway`, renderGatewayChart(args.gateway), { parent: this, dependsOn: [gatewayClass, certManager] });
    this.registerOutputs({});
  }
}
