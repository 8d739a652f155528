import { expect, it } from "vitest";
import { blockers, exampleStack, plant, run, withObject, withProps } from "./examples";

exampleStack(
  "ministere-exemple-openstack",
  (model) => {
    it("cloud-metadata-reachable: catches instances without config drive whose groups allow no metadata egress", () => {
      const planted = plant(model(), (v) =>
        v.name.endsWith("-egress-metadata") ? undefined : v.type === "openstack:compute/instance:Instance" ? withProps(v, { configDrive: false }) : v,
      );
      const found = blockers(run(planted, "cloud-metadata-reachable"));
      expect(found).toHaveLength(6);
      expect(found[0]).toMatchObject({ object: "openstack:compute/instance:Instance/cluster-cp-0", path: "configDrive" });
      // Either one alone is enough.
      expect(run(plant(model(), (v) => (v.type === "openstack:compute/instance:Instance" ? withProps(v, { configDrive: false }) : v)), "cloud-metadata-reachable")).toEqual([]);
    });

    it("cloud-lb-backend-listening: catches the gateway NodePorts when no EnvoyProxy fixes them", () => {
      const planted = plant(model(), (v) => (v.k8s?.kind === "EnvoyProxy" ? undefined : v));
      const found = blockers(run(planted, "cloud-lb-backend-listening"));
      expect(found.map((f) => f.object).sort()).toEqual(
        ["http", "https"].flatMap((l) => [0, 1, 2].map((i) => `openstack:loadbalancer/member:Member/cluster-${l}-workers-${i}`)).sort(),
      );
      expect(found[0]!.message).toMatch(/random NodePorts/);
    });

    it("cloud-storage-class-provided: catches a claim on a class nothing creates", () => {
      const planted = plant(model(), (v) => (v.k8s?.kind === "StorageClass" ? undefined : v));
      const found = blockers(run(planted, "cloud-storage-class-provided"));
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((f) => /csi-cinder-sc-encrypted exists nowhere/.test(f.message))).toBe(true);
    });

    it("cloud-provider-types: catches a resource type the pinned OpenStack provider lacks", () => {
      const stray = { ...model().cloud.find((v) => v.type === "openstack:objectstorage/container:Container")!, type: "openstack:objectstorage/bucket:Bucket", name: "stray" };
      const found = blockers(run(plant(model(), (v) => v, [stray]), "cloud-provider-types"));
      expect(found).toEqual([expect.objectContaining({ object: "openstack:objectstorage/bucket:Bucket/stray", path: "type" })]);
    });

    it("cloud-admin-surface: catches the API opened to the world, on a security group and on the API listener", () => {
      const planted = plant(model(), (v) =>
        v.name === "cluster-api-admin-0" ? withProps(v, { remoteIpPrefix: "0.0.0.0/0" }) : v.name === "cluster-api-listener" ? withProps(v, { allowedCidrs: ["10.20.0.0/16", "203.0.113.0/24"] }) : v,
      );
      const found = blockers(run(planted, "cloud-admin-surface"));
      expect(found.map((f) => `${f.object} ${f.path}`).sort()).toEqual([
        "openstack:loadbalancer/listener:Listener/cluster-api-listener allowedCidrs[1]",
        "openstack:networking/secGroupRule:SecGroupRule/cluster-api-admin-0 remoteIpPrefix",
      ]);
      void withObject;
    });
  },
  { nodes: 6 },
);
