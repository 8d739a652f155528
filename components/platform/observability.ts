import * as pulumi from "@pulumi/pulumi";
import type { ApiServer } from "../../charts/platform/flows";
import type { PlatformImages } from "../../charts/platform/images";
import { renderLogCollectorChart } from "../../charts/platform/log-collector";
import { renderLogStoreChart } from "../../charts/platform/log-store";
import { renderMonitorsChart, type ScrapeTarget } from "../../charts/platform/monitors";
import { KUBE_PROMETHEUS_STACK_CHART } from "../../charts/platform/releases";
import { kubePrometheusStackValues } from "../../charts/platform/values";
import type { SizingProfile } from "../../src/model/names";
import { manifestGroup } from "../lib/manifests";
import { pinnedRelease } from "./helm";

export interface ObservabilityArgs {
  readonly images: PlatformImages;
  readonly sizing: SizingProfile;
  readonly storageClass: string;
  readonly logRetentionDays: number;
  readonly apiServer: ApiServer;
  readonly scrapeTargets: readonly ScrapeTarget[];
  /** The nodes' address ranges: when known, Prometheus scrapes the kubelets' cAdvisor (charts/platform/values.ts `kubeletScrapeValues`). */
  readonly nodeCidrs: readonly string[];
}

/** Logs (Fluent Bit to VictoriaLogs, kept `logRetentionDays`) and metrics (Prometheus with PodMonitors for the platform). */
export class Observability extends pulumi.ComponentResource {
  constructor(name: string, args: ObservabilityArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:platform:Observability", name, {}, opts);
    const store = manifestGroup(
      `${name}-log-store`,
      renderLogStoreChart({ sizing: args.sizing, storageClass: args.storageClass, image: args.images["victoria-logs"], retentionDays: args.logRetentionDays }),
      { parent: this },
    );
    manifestGroup(`${name}-log-collector`, renderLogCollectorChart({ sizing: args.sizing, image: args.images["fluent-bit"], apiServer: args.apiServer }), {
      parent: this,
      dependsOn: [store],
    });
    const prometheus = pinnedRelease("kube-prometheus-stack", KUBE_PROMETHEUS_STACK_CHART, kubePrometheusStackValues(args.images, args.sizing, args.storageClass, { kubeletScrape: args.nodeCidrs.length > 0 }), { parent: this }, args.images.registryMirror);
    manifestGroup(`${name}-monitors`, renderMonitorsChart(args.scrapeTargets), { parent: this, dependsOn: [prometheus] });
    this.registerOutputs({});
  }
}
