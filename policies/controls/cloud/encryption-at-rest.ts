import type { CheckResult, Control, ResourceView, Violation } from "../../types";
import { pass, verdict, violation } from "../lib/results";
import { ofTypes } from "../lib/indexes";
import { verifiedSection } from "../lib/snc";
import { encryptionDeclaration } from "../lib/stack";
import { asArray, asInteger, asString, nonEmptyString, records } from "../lib/values";

const OPENSTACK_VOLUME = /^openstack:blockstorage\/volume(V\d)?:Volume(V\d)?$/;
const OPENSTACK_INSTANCE = "openstack:compute/instance:Instance";
const OPENSTACK_CONTAINER = /^openstack:objectstorage\/container(V\d)?:Container(V\d)?$/;
const OUTSCALE_VOLUME = "outscale:index/volume:Volume";
const OUTSCALE_VM = "outscale:index/vm:Vm";

/** Where the stack declares it: the provider attestation (`socle:provider.encryptionAtRest`) and the OpenStack encrypted volume type. */
const HOW_TO_DECLARE = "declare it in the stack file, in `socle:provider.encryptionAtRest` (blockStorage, objectStorage) or, on OpenStack, as `socle:openstack.encryptedVolumeType` (see docs/controls.md)";

export const control: Control = {
  id: "snc-cloud-encryption-at-rest",
  title: {
    fr: "Volumes et conteneurs d'objets chiffrés au repos",
    en: "Volumes and object storage encrypted at rest",
  },
  snc: verifiedSection("10", "10.1", "Chiffrement des données stockées"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "SecNumCloud 10.1.a requires encryption that prevents recovering the customer's data when a resource is reallocated or a physical medium is recovered, per volume for block storage. Cloud APIs do not expose whether a disk is encrypted, so the evidence is the hoster's declaration in the stack metadata (which volume types, and whether block and object storage, are encrypted), checked here against every volume, boot disk and container.",
  remediation:
    "Create volumes with a volume type the hoster encrypts (a Cinder type with a LUKS encryption spec) and boot instances from such a volume instead of a local ephemeral disk. Declare it in the stack file as the provider's contract states it: the encrypted Cinder volume type in `socle:openstack.encryptedVolumeType` (socle then creates disks of that type), or that all block storage is encrypted (`socle:provider.encryptionAtRest.blockStorage: true`), and whether object storage is encrypted at rest (`socle:provider.encryptionAtRest.objectStorage: true`).",
  evidence: [
    "openstack:blockstorage/volume:Volume `volumeType`",
    "openstack:compute/instance:Instance `blockDevices[]` (bootIndex, destinationType, sourceType, volumeType)",
    "openstack:objectstorage/container:Container",
    "outscale:index/volume:Volume, outscale:index/vm:Vm",
    "stack output `socle.encryptionAtRest` (blockStorage, volumeTypes, objectStorage)",
  ],
  check(resources) {
    const declared = encryptionDeclaration(resources);
    const allBlock = declared.blockStorage === true;
    const types = new Set(asArray(declared.volumeTypes).filter(nonEmptyString));
    const object = declared.objectStorage === true;
    const blockEvidence = (volumeType: unknown, path: string, what: string): Violation[] => {
      if (allBlock) return [];
      const type = asString(volumeType);
      if (type !== undefined && types.has(type)) return [];
      return [violation(`${what} ${type !== undefined ? `has volume type ${type}, which is not declared encrypted` : "has no volume type declared encrypted"}: ${HOW_TO_DECLARE}`, path)];
    };
    const results: CheckResult[] = [];
    const candidates = ofTypes(resources, (type) => OPENSTACK_VOLUME.test(type) || type === OUTSCALE_VOLUME || type === OPENSTACK_INSTANCE || type === OUTSCALE_VM || OPENSTACK_CONTAINER.test(type));
    for (const view of candidates) {
      if (OPENSTACK_VOLUME.test(view.type) || view.type === OUTSCALE_VOLUME) {
        results.push(verdict(view, blockEvidence(view.props.volumeType, "volumeType", "the volume"), note(allBlock, view.props.volumeType)));
      } else if (view.type === OPENSTACK_INSTANCE) {
        results.push(instance(view, blockEvidence, allBlock));
      } else if (view.type === OUTSCALE_VM) {
        results.push(verdict(view, allBlock ? [] : [violation(`the VM's volumes are not declared encrypted: ${HOW_TO_DECLARE} (socle:provider.encryptionAtRest.blockStorage)`)], "all block storage is declared encrypted"));
      } else if (OPENSTACK_CONTAINER.test(view.type)) {
        results.push(verdict(view, object ? [] : [violation(`object storage is not declared encrypted at rest: ${HOW_TO_DECLARE} (socle:provider.encryptionAtRest.objectStorage)`)], "object storage is declared encrypted at rest"));
      }
    }
    return results;
  },
};

const note = (allBlock: boolean, volumeType: unknown): string =>
  allBlock ? "all block storage is declared encrypted" : `volume type ${String(volumeType)} is declared encrypted`;

function instance(view: ResourceView, blockEvidence: (t: unknown, path: string, what: string) => Violation[], allBlock: boolean): CheckResult {
  const devices = records(view.props.blockDevices);
  const boot = devices.find(({ item }) => asInteger(item.bootIndex) === 0) ?? devices[0];
  if (!boot || boot.item.destinationType !== "volume") {
    if (allBlock) return pass(view, "all block storage is declared encrypted");
    return verdict(view, [violation(`the instance boots from a local ephemeral disk, which no declaration covers: boot from a volume of an encrypted volume type or ${HOW_TO_DECLARE}`, "blockDevices")]);
  }
  const at = `blockDevices[${boot.index}]`;
  const violations: Violation[] = [];
  // An existing volume (sourceType volume) is a volume resource of its own, checked as such.
  if (boot.item.sourceType !== "volume") violations.push(...blockEvidence(boot.item.volumeType, `${at}.volumeType`, "the boot volume"));
  for (const { item, index } of devices) {
    if (index === boot.index || item.destinationType !== "volume" || item.sourceType === "volume") continue;
    violations.push(...blockEvidence(item.volumeType, `blockDevices[${index}].volumeType`, `block device ${index}`));
  }
  return verdict(view, violations, "every volume the instance creates has a volume type declared encrypted");
}

