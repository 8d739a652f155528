import * as pulumi from "@pulumi/pulumi";
import type { PlatformImages } from "../../charts/platform/images";
import { BARMAN_PLUGIN_CHART, BARMAN_PLUGIN_RELEASE, barmanPluginValues } from "../../charts/platform/barman-plugin";
import { CNPG_CHART } from "../../charts/platform/releases";
import { cnpgValues } from "../../charts/platform/values";
import type { SizingProfile } from "../../src/config/schema";
import { pinnedRelease } from "./helm";

/**
 * The CloudNativePG operator (every app database is one of its `Cluster`s) and its Barman Cloud plugin,
 * which backs every database up (charts/platform/barman-plugin.ts says why the plugin).
 */
export class DatabaseOperator extends pulumi.ComponentResource {
  readonly release: pulumi.Resource;
  readonly backupPlugin: pulumi.Resource;

  constructor(name: string, args: { readonly images: PlatformImages; readonly sizing: SizingProfile }, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:platform:DatabaseOperator", name, {}, opts);
    this.release = pinnedRelease("cloudnative-pg", CNPG_CHART, cnpgValues(args.images, args.sizing), { parent: this });
    // The plugin registers with the operator through its Service, and its certificates come from cert-manager.
    this.backupPlugin = pinnedRelease(BARMAN_PLUGIN_RELEASE, BARMAN_PLUGIN_CHART, barmanPluginValues(args.images, args.sizing), { parent: this, dependsOn: [this.release] });
    this.registerOutputs({});
  }
}
