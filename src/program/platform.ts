import type { GatewaySite } from "../../charts/gateway";
import { Edge } from "../../components/platform/edge";
import type { SuiteContext } from "./context";

/** Platform services of `dedicated` and `platform` stacks: what every app relies on. */
export function deployPlatform(ctx: SuiteContext, sites: readonly GatewaySite[]): void {
  const { config } = ctx;
  new Edge("edge", {
    gateway: { gatewayClass: config.gatewayClass, sites },
    issuer: { kind: config.tls.issuer, organization: config.organization.name, acmeServer: config.tls.acmeServer, acmeEmail: config.tls.acmeEmail },
  });
}
