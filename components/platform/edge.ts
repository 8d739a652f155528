import * as pulumi from "@pulumi/pulumi";
import { renderGatewayChart, type GatewayChartProps } from "../../charts/gateway";
import { renderIssuerChart, type IssuerChartProps } from "../../charts/issuer";
import { manifestGroup } from "../lib/manifests";

export interface EdgeArgs {
  readonly gateway: GatewayChartProps;
  readonly issuer: IssuerChartProps;
}

/** The suite's front door: the shared Gateway (HTTPS only, TLS >= 1.2) and the certificate issuer. */
export class Edge extends pulumi.ComponentResource {
  constructor(name: string, args: EdgeArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:platform:Edge", name, {}, opts);
    manifestGroup(`${name}-issuer`, renderIssuerChart(args.issuer), { parent: this });
    manifestGroup(`${name}-gateway`, renderGatewayChart(args.gateway), { parent: this });
    this.registerOutputs({});
  }
}
