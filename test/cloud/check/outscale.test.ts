import { expect, it } from "vitest";
import { blockers, exampleStack, plant, run, withProps } from "./examples";

exampleStack(
  "ministere-exemple-outscale",
  (model) => {
    it("cloud-metadata-reachable: catches VMs whose groups (no default outbound rule) allow no metadata flow", () => {
      const found = blockers(run(plant(model(), (v) => (v.name.endsWith("-egress-metadata") ? undefined : v)), "cloud-metadata-reachable"));
      expect(found).toHaveLength(6);
      expect(found[0]).toMatchObject({ object: "outscale:index/vm:Vm/cluster-cp-0", path: "securityGroupIds" });
    });

    it("cloud-lb-backend-listening: catches the gateway listeners when no EnvoyProxy fixes the NodePorts", () => {
      const found = blockers(run(plant(model(), (v) => (v.k8s?.kind === "EnvoyProxy" ? undefined : v)), "cloud-lb-backend-listening"));
      expect(found.map((f) => `${f.object} ${f.path}`)).toEqual(["outscale:index/loadBalancer:LoadBalancer/cluster-gateway listeners[0].backendPort", "outscale:index/loadBalancer:LoadBalancer/cluster-gateway listeners[1].backendPort"]);
    });

    it("cloud-storage-class-provided: catches claims on a class no CSI driver provides (the Outscale VMs before BSU CSI)", () => {
      const found = blockers(run(plant(model(), (v) => (v.k8s?.kind === "StorageClass" ? undefined : v)), "cloud-storage-class-provided"));
      expect(found.length).toBeGreaterThan(0);
      expect(found[0]!.message).toMatch(/bsu-encrypted exists nowhere/);
    });

    it("cloud-provider-types: catches the unreleased outscale_oos_bucket", () => {
      const net = model().cloud.find((v) => v.type === "outscale:index/net:Net")!;
      const found = blockers(run(plant(model(), (v) => v, [{ ...net, type: "outscale:index/oosBucket:OosBucket", name: "backups" }]), "cloud-provider-types"));
      expect(found).toEqual([expect.objectContaining({ object: "outscale:index/oosBucket:OosBucket/backups" })]);
      expect(found[0]!.message).toMatch(/outscale\/terraform-provider-outscale at tag v1\.8\.0/);
    });

    it("cloud-admin-surface: catches SSH to the bastion opened to the world", () => {
      const planted = plant(model(), (v) => (v.name === "cluster-bastion-admin" ? withProps(v, { rules: [{ ipProtocol: "tcp", fromPortRange: 22, toPortRange: 22, ipRanges: ["0.0.0.0/0"] }] }) : v));
      expect(blockers(run(planted, "cloud-admin-surface"))).toEqual([expect.objectContaining({ object: "outscale:index/securityGroupRule:SecurityGroupRule/cluster-bastion-admin", path: "rules[0].ipRanges[0]" })]);
    });
  },
  { nodes: 6 },
);
