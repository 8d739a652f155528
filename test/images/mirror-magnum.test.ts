import { beforeAll, describe, expect, it } from "vitest";
import { ofType, type Recorded } from "../cloud/mocks";
import { expectChartsAndImagesFromMirror, runWithMirror } from "./mirror-stack";

let records: Recorded[];

beforeAll(async () => {
  ({ records } = await runWithMirror("ministere-exemple-openstack-magnum"));
});

describe("OpenStack Magnum example stack with socle:registryMirror", () => {
  it("sets no container_infra_prefix: magnum-capi-helm reads none (docs/mirror.md)", () => {
    const labelled = [...ofType(records, "openstack:containerinfra/clusterTemplate:ClusterTemplate"), ...ofType(records, "openstack:containerinfra/cluster:Cluster")];
    expect(labelled.length).toBeGreaterThanOrEqual(1);
    for (const r of labelled) expect(r.inputs.labels?.container_infra_prefix, r.name).toBeUndefined();
  });

  it("takes every Helm chart and image from the mirror", () => {
    expectChartsAndImagesFromMirror(records);
  });
});
