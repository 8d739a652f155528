import * as pulumi from "@pulumi/pulumi";
import type { PlatformImages } from "../../charts/platform/images";
import { CNPG_CHART } from "../../charts/platform/releases";
import { cnpgValues } from "../../charts/platform/values";
import type { SizingProfile } from "../../src/model/names";
import { pinnedRelease } from "./helm";

/** The CloudNativePG operator: every app database is one of its `Cluster`s. */
export class DatabaseOperator extends pulumi.ComponentResource {
  readonly release: pulumi.Resource;

  constructor(name: string, args: { readonly images: PlatformImages; readonly sizing: SizingProfile }, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:platform:DatabaseOperator", name, {}, opts);
    this.release = pinnedRelease("cloudnative-pg", CNPG_CHART, cnpgValues(args.images, args.sizing), { parent: this }, args.images.registryMirror);
    this.registerOutputs({});
  }
}
