import * as pulumi from "@pulumi/pulumi";
import type { ApiServer } from "../../charts/platform/flows";
import type { PlatformImages } from "../../charts/platform/images";
import { OPENCOST_RELEASE, openCostValues, renderOpenCostChart } from "../../charts/platform/opencost";
import { OPENCOST_CHART } from "../../charts/platform/releases";
import type { PriceSheet } from "../../src/model/prices";
import type { SizingProfile } from "../../src/model/names";
import { manifestGroup } from "../lib/manifests";
import { pinnedRelease } from "./helm";

export interface OpenCostArgs {
  readonly images: PlatformImages;
  readonly sizing: SizingProfile;
  /** The hoster's price sheet (`socle:opencost.priceSheet`), the one `socle usage` prices tenants with. */
  readonly priceSheet: PriceSheet;
  readonly apiServer: ApiServer;
}

/**
 * OpenCost with on-premises prices from the hoster's price sheet, querying the platform's own Prometheus
 * (docs/hosters.md, "OpenCost (measured actuals)"). Its namespace, NetworkPolicies and pricing ConfigMap are
 * applied before the release, which reads the ConfigMap at start.
 */
export class OpenCost extends pulumi.ComponentResource {
  constructor(name: string, args: OpenCostArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:platform:OpenCost", name, {}, opts);
    const base = manifestGroup(`${name}-base`, renderOpenCostChart({ priceSheet: args.priceSheet, apiServer: args.apiServer }), { parent: this });
    pinnedRelease(OPENCOST_RELEASE, OPENCOST_CHART, openCostValues(args.images.opencost, args.sizing), { parent: this, dependsOn: [base] }, args.images.registryMirror);
    this.registerOutputs({});
  }
}
