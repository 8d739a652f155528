import * as pulumi from "@pulumi/pulumi";
import type { PlatformImages } from "../../charts/platform/images";
import { VELERO_CHART } from "../../charts/platform/releases";
import { renderVeleroChart, VELERO_CREDENTIALS_SECRET, VELERO_NAMESPACE, type VeleroChartProps } from "../../charts/platform/velero";
import { veleroValues } from "../../charts/platform/values";
import type { SizingProfile } from "../../src/model/names";
import { manifestGroup } from "../lib/manifests";
import { pinnedRelease } from "./helm";
import { KeyedSecret } from "../lib/secret";

export interface BackupsArgs extends VeleroChartProps {
  readonly images: PlatformImages;
  readonly sizing: SizingProfile;
  readonly credentials: { readonly accessKeyId: pulumi.Input<string>; readonly secretAccessKey: pulumi.Input<string> };
}

/** Velero: the credentials file as a Secret, the pinned release, then socle's storage location and schedules. */
export class Backups extends pulumi.ComponentResource {
  constructor(name: string, args: BackupsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:platform:Backups", name, {}, opts);
    const { images, sizing, credentials, ...chartProps } = args;
    const cloud = pulumi.interpolate`[default]\naws_access_key_id=${credentials.accessKeyId}\naws_secret_access_key=${credentials.secretAccessKey}\n`;
    const secret = new KeyedSecret(
      `${name}-credentials`,
      { metadata: { name: VELERO_CREDENTIALS_SECRET.name, namespace: VELERO_NAMESPACE }, type: "Opaque", stringData: VELERO_CREDENTIALS_SECRET.data({ cloud: pulumi.secret(cloud) }) },
      { parent: this },
    );
    const release = pinnedRelease("velero", VELERO_CHART, veleroValues(images, sizing, VELERO_CREDENTIALS_SECRET), { parent: this, dependsOn: [secret] }, args.images.registryMirror);
    manifestGroup(name, renderVeleroChart(chartProps), { parent: this, dependsOn: [release] });
    this.registerOutputs({});
  }
}
