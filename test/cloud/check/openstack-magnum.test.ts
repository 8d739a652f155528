import { expect, it } from "vitest";
import { blockers, exampleStack, plant, run, withProps } from "./examples";

const isMagnum = (type: string) => type.startsWith("openstack:containerinfra/");

exampleStack(
  "ministere-exemple-openstack-magnum",
  (model) => {
    it("cloud-storage-class-provided: catches a class magnum-capi-helm does not make (named after no volume type the cluster uses)", () => {
      const planted = plant(model(), (v) => (isMagnum(v.type) ? withProps(v, { labels: { ...(v.props.labels as object), boot_volume_type: "classic", etcd_blockdevice_volume_type: "classic" } }) : v));
      const found = blockers(run(planted, "cloud-storage-class-provided"));
      expect(found.length).toBeGreaterThan(0);
      expect(found[0]!.message).toMatch(/encrypted-ssd exists nowhere.*\(classic\)/);
    });

    it("cloud-admin-surface: catches the Heat driver's label, which magnum-capi-helm ignores", () => {
      const planted = plant(model(), (v) => {
        if (!isMagnum(v.type)) return v;
        const { api_master_lb_allowed_cidrs: cidrs, ...rest } = v.props.labels as Record<string, string>;
        return withProps(v, { labels: { ...rest, master_lb_allowed_cidrs: cidrs } });
      });
      const found = blockers(run(planted, "cloud-admin-surface"));
      expect(found.map((f) => f.path)).toEqual(["labels.api_master_lb_allowed_cidrs", "labels.api_master_lb_allowed_cidrs"]);
      expect(found[0]!.message).toMatch(/Heat driver/);
    });
  },
  { nodes: 0 },
);
