import type { CheckResult, Control, ResourceView } from "../../types";
import { notApplicable, verdict, violation } from "../lib/results";
import { ofTypes } from "../lib/indexes";
import { verifiedSection } from "../lib/snc";
import { asArray, asRecord, asString, isUnknown, records } from "../lib/values";

const SERVER_GROUP = "openstack:compute/serverGroup:ServerGroup";
const INSTANCE = "openstack:compute/instance:Instance";
const OUTSCALE_VM = "outscale:index/vm:Vm";
/** How the program marks control-plane machines: OpenStack instance metadata, Outscale VM tag. */
export const ROLE_KEY = "socle.io/role";
export const CONTROL_PLANE = "control-plane";

export const control: Control = {
  id: "snc-cloud-anti-affinity",
  title: {
    fr: "Plan de contrôle réparti sur des hôtes ou sous-régions distincts",
    en: "Control plane spread across distinct hosts or subregions",
  },
  snc: verifiedSection("17", "17.4", "Disponibilité des moyens de traitement de l'information"),
  severity: "medium",
  enforcement: "advisory",
  rationale:
    "The provider must implement the measures that meet the availability defined in the service agreement (17.4.a). Control-plane machines placed on one hypervisor or one subregion fail together: a hard anti-affinity server group (OpenStack) or distinct subregions (Outscale) keep the Kubernetes API available through a host or zone failure.",
  remediation:
    "OpenStack: create a `ServerGroup` with `policies: [\"anti-affinity\"]` and set `schedulerHints: [{ group: <server group id> }]` on every control-plane instance. Outscale: place control-plane VMs in distinct subregions (`placementSubregionName`).",
  evidence: [
    `${INSTANCE} with metadata \`${ROLE_KEY}: ${CONTROL_PLANE}\`: schedulerHints[].group`,
    `${SERVER_GROUP}: id, policies`,
    `${OUTSCALE_VM} with tag \`${ROLE_KEY}=${CONTROL_PLANE}\`: placementSubregionName`,
  ],
  check(resources) {
    const groups = ofTypes(resources, (type) => type === SERVER_GROUP);
    const results: CheckResult[] = [];
    for (const view of ofTypes(resources, (type) => type === INSTANCE)) {
      if (view.type !== INSTANCE || asRecord(view.props.metadata)[ROLE_KEY] !== CONTROL_PLANE) continue;
      results.push(openstackInstance(view, groups));
    }
    const vms = ofTypes(resources, (type) => type === OUTSCALE_VM).filter((r) => records(r.props.tags).some(({ item }) => item.key === ROLE_KEY && item.value === CONTROL_PLANE));
    const subregions = new Set(vms.map((vm) => asString(vm.props.placementSubregionName)).filter((s): s is string => s !== undefined));
    for (const vm of vms) {
      const sub = asString(vm.props.placementSubregionName);
      if (sub === undefined) {
        results.push(verdict(vm, [violation("the control-plane VM sets no subregion: its placement is left to the provider", "placementSubregionName")]));
      } else if (vms.length > 1 && subregions.size < 2) {
        results.push(verdict(vm, [violation(`all ${vms.length} control-plane VMs are in subregion ${sub}`, "placementSubregionName")]));
      } else {
        results.push(verdict(vm, [], `control-plane VMs span ${subregions.size} subregion(s)`));
      }
    }
    return results;
  },
};

function openstackInstance(view: ResourceView, groups: readonly ResourceView[]): CheckResult {
  const hinted = records(view.props.schedulerHints).map(({ item, index }) => ({ group: asString(item.group), index }));
  const withGroup = hinted.filter((h) => h.group !== undefined);
  if (withGroup.length === 0) return verdict(view, [violation("the control-plane instance has no scheduler hint `group`: nothing keeps it off the other control-plane hosts", "schedulerHints")]);
  if (withGroup.some((h) => isUnknown(h.group))) return notApplicable(view, "the server group id is not known yet (preview)");
  for (const h of withGroup) {
    const group = groups.find((g) => g.props.id === h.group || g.urn === h.group);
    if (!group) continue;
    const policies = asArray(group.props.policies);
    if (policies.includes("anti-affinity")) return verdict(view, [], `server group ${group.name} has the anti-affinity policy`);
    return verdict(view, [violation(`server group ${group.name} has policies ${JSON.stringify(policies)}, not the hard \`anti-affinity\` policy`, `schedulerHints[${h.index}].group`)]);
  }
  return verdict(view, [violation(`scheduler hint group ${withGroup[0]!.group} is not a server group of this stack`, `schedulerHints[${withGroup[0]!.index}].group`)]);
}
