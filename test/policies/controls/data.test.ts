import { describe, expect, it } from "vitest";
import { control as backupRegion } from "../../../policies/controls/data/backup-region";
import { control as backupSchedule } from "../../../policies/controls/data/backup-schedule";
import { control as protection } from "../../../policies/controls/data/deletion-protection";
import { backupStorageLocation, cnpgCluster, scheduledBackup, veleroSchedule } from "../fixtures/data";
import { withField } from "../fixtures/edit";
import { container, volume } from "../fixtures/cloud";
import { deployment, pvc, statefulSet } from "../fixtures/kubernetes";
import { context, failed, k8s, run, violationsOf } from "../fixtures/views";

describe("snc-data-deletion-protection", () => {
  const compliant = () => [k8s(pvc("data", "wiki"), { protect: true }), k8s(cnpgCluster(), { protect: true }), k8s(statefulSet(), { protect: true }), volume(), container(), k8s(deployment())];

  it("passes protected stateful resources and ignores stateless ones", () => {
    expect(run(protection, compliant()).map((r) => r.status)).toEqual(["pass", "pass", "pass", "pass", "pass"]);
  });

  it.each([
    ["a PersistentVolumeClaim", () => k8s(pvc("data", "wiki")), "PersistentVolumeClaim wiki/data is not protected: set the resource option protect: true"],
    ["a CloudNativePG Cluster", () => k8s(cnpgCluster()), "Cluster wiki/wiki-db is not protected: set the resource option protect: true"],
    ["an OpenStack volume", () => volume({}, false), "openstack:blockstorage/volume:Volume data is not protected: set the resource option protect: true"],
    ["an OpenStack container", () => container(false), "openstack:objectstorage/container:Container backups is not protected: set the resource option protect: true"],
  ])("fails %s without protect", (_what, build, message) => {
    expect(violationsOf(run(protection, [build()])).map((v) => v.message)).toEqual([message]);
  });

  it("fails a StatefulSet that deletes its volumes", () => {
    const s = withField(statefulSet(), "spec.persistentVolumeClaimRetentionPolicy", { whenDeleted: "Delete" });
    expect(violationsOf(run(protection, [k8s(s, { protect: true })]))).toEqual([
      { resource: "storage-garage", message: "StatefulSet storage/garage deletes its volumes when deleted", path: "spec.persistentVolumeClaimRetentionPolicy.whenDeleted" },
    ]);
  });

  it("does not apply to plain manifests, which have no resource options", () => {
    expect(run(protection, [k8s(pvc("data", "wiki"), { manifest: true })]).map((r) => r.status)).toEqual(["notApplicable"]);
  });
});

describe("snc-data-backup-schedule", () => {
  const compliant = () => [k8s(cnpgCluster()), k8s(scheduledBackup()), k8s(pvc("files", "wiki")), k8s(veleroSchedule())];

  it("passes a backed-up CNPG cluster and a namespace covered by a Velero schedule with ttl", () => {
    expect(run(backupSchedule, compliant()).map((r) => [r.resource.name, r.status])).toEqual([["wiki-wiki-db", "pass"], ["wiki", "pass"]]);
  });

  it("fails a cluster without retention policy", () => {
    const c = withField(cnpgCluster(), "spec.backup.retentionPolicy", undefined);
    expect(violationsOf(run(backupSchedule, [k8s(c), k8s(scheduledBackup())])).map((v) => v.path)).toEqual(["spec.backup.retentionPolicy"]);
  });

  it("fails a cluster no ScheduledBackup targets, or only a suspended one", () => {
    expect(violationsOf(run(backupSchedule, [k8s(cnpgCluster())]))[0]!.message).toBe("no active ScheduledBackup targets Cluster wiki/wiki-db");
    const suspended = withField(scheduledBackup(), "spec.suspend", true);
    expect(failed(run(backupSchedule, [k8s(cnpgCluster()), k8s(suspended)])).length).toBe(1);
    const other = withField(scheduledBackup(), "spec.cluster.name", "other-db");
    expect(failed(run(backupSchedule, [k8s(cnpgCluster()), k8s(other)])).length).toBe(1);
  });

  it("accepts the barman-cloud plugin with an ObjectStore retention policy", () => {
    const c = withField(withField(cnpgCluster(), "spec.backup", undefined), "spec.plugins", [{ name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "store" } }]);
    const store = { apiVersion: "barmancloud.cnpg.io/v1", kind: "ObjectStore", metadata: { name: "store", namespace: "wiki" }, spec: { retentionPolicy: "30d", configuration: {} } };
    expect(failed(run(backupSchedule, [k8s(c), k8s(store), k8s(scheduledBackup())]))).toEqual([]);
    expect(failed(run(backupSchedule, [k8s(c), k8s(withField(store, "spec.retentionPolicy", undefined)), k8s(scheduledBackup())])).length).toBe(1);
  });

  it("fails a namespace with volumes that no Velero schedule includes", () => {
    const found = violationsOf(run(backupSchedule, [k8s(pvc("files", "wiki")), k8s(veleroSchedule(["chat"]))]));
    expect(found).toEqual([{ resource: "wiki", message: "namespace wiki holds volumes but no active Velero Schedule includes it" }]);
  });

  it("fails a covering schedule without ttl, and counts volumeClaimTemplates and all-namespace schedules", () => {
    expect(violationsOf(run(backupSchedule, [k8s(pvc("files", "wiki")), k8s(veleroSchedule(["wiki"], null))]))[0]!.message).toMatch(/set no spec.template.ttl/);
    expect(failed(run(backupSchedule, [k8s(statefulSet()), k8s(veleroSchedule([]))]))).toEqual([]);
    const excluded = withField(veleroSchedule([]), "spec.template.excludedNamespaces", ["storage"]);
    expect(failed(run(backupSchedule, [k8s(statefulSet()), k8s(excluded)])).length).toBe(1);
  });
});

describe("snc-data-backup-schedule: a tenant's volumes backed up by its platform", () => {
  // A tenant's render records its platform's Schedule (socle.platformBackups), which lives in the platform's state.
  const platformSchedule = (included: string[], extra: Partial<{ ttl: string; paused: boolean; excludedNamespaces: string[] }> = {}) => ({
    platformStack: "hebergeur/socle/hebergeur-plateforme",
    namespace: "velero",
    name: "tenant-tenant-a-nightly",
    includedNamespaces: included,
    storageLocation: "tenant-tenant-a",
    ttl: "720h0m0s",
    ...extra,
  });
  const tenantVolumes = () => [k8s(pvc("files", "tenant-a-wiki")), k8s(pvc("data", "tenant-a-chat"))];

  it("passes the tenant's namespaces the platform's Schedule includes, naming that Schedule and its platform", () => {
    const results = run(backupSchedule, tenantVolumes(), { ...context(), platformBackupSchedules: [platformSchedule(["tenant-a-chat", "tenant-a-wiki"])] });
    expect(results.map((r) => r.status)).toEqual(["pass", "pass"]);
    expect(results[0]!.note).toContain("velero/tenant-tenant-a-nightly of platform stack hebergeur/socle/hebergeur-plateforme");
  });

  it("fails a tenant its platform does not bind: no Schedule of its own, none recorded from the platform", () => {
    expect(violationsOf(run(backupSchedule, tenantVolumes())).map((v) => v.message)).toEqual([
      "namespace tenant-a-chat holds volumes but no active Velero Schedule includes it",
      "namespace tenant-a-wiki holds volumes but no active Velero Schedule includes it",
    ]);
  });

  it("tells a tenant stack (stack metadata: kind tenant) that its platform has not bound it, and what to run", () => {
    const messages = violationsOf(run(backupSchedule, tenantVolumes(), { ...context(), stackKind: "tenant" })).map((v) => v.message);
    expect(messages).toHaveLength(2);
    for (const m of messages) expect(m).toMatch(/no active Velero Schedule includes it: a tenant's volumes are backed up by its platform, which has not bound this tenant .*socle:tenants.*socle fleet render\|up/);
    // Not on a dedicated stack, whose own Velero backs it up.
    expect(violationsOf(run(backupSchedule, tenantVolumes(), { ...context(), stackKind: "dedicated" }))[0]!.message).toBe("namespace tenant-a-chat holds volumes but no active Velero Schedule includes it");
  });

  it("fails a namespace the platform's Schedule leaves out, pauses or keeps without ttl", () => {
    const ctx = (s: ReturnType<typeof platformSchedule>) => ({ ...context(), platformBackupSchedules: [s] });
    expect(violationsOf(run(backupSchedule, tenantVolumes(), ctx(platformSchedule(["tenant-a-wiki"])))).map((v) => v.resource)).toEqual(["tenant-a-chat"]);
    expect(failed(run(backupSchedule, tenantVolumes(), ctx(platformSchedule(["tenant-a-chat", "tenant-a-wiki"], { paused: true })))).length).toBe(2);
    expect(failed(run(backupSchedule, tenantVolumes(), ctx(platformSchedule(["tenant-a-chat", "tenant-a-wiki"], { excludedNamespaces: ["tenant-a-chat"] })))).length).toBe(1);
    expect(violationsOf(run(backupSchedule, tenantVolumes(), ctx(platformSchedule(["tenant-a-chat", "tenant-a-wiki"], { ttl: "0s" }))))[0]!.message).toMatch(/tenant-tenant-a-nightly of platform stack .* set no spec.template.ttl/);
  });
});

describe("snc-data-backup-region", () => {
  it("passes object stores in an allowed region, by endpoint host, annotation or in-cluster service", () => {
    const annotated = withField(withField(cnpgCluster(), "spec.backup.barmanObjectStore.endpointURL", "https://s3.example.test"), "metadata.annotations", { "socle.io/region": "cloudgouv-eu-west-1" });
    const inCluster = withField(cnpgCluster("b"), "spec.backup.barmanObjectStore.endpointURL", "http://garage.socle-storage.svc:3900");
    const bsl = backupStorageLocation({ region: "cloudgouv-eu-west-1", s3Url: "https://oos.cloudgouv-eu-west-1.outscale.com" });
    expect(run(backupRegion, [k8s(cnpgCluster()), k8s(annotated), k8s(inCluster), k8s(bsl)]).map((r) => r.status)).toEqual(["pass", "pass", "pass", "pass"]);
  });

  it("fails a CNPG cluster without endpointURL (AWS S3 default)", () => {
    const c = withField(cnpgCluster(), "spec.backup.barmanObjectStore.endpointURL", undefined);
    expect(violationsOf(run(backupRegion, [k8s(c)]))).toEqual([{ resource: "wiki-wiki-db", message: "no endpointURL: barman then uses the AWS S3 endpoint", path: "spec.backup.barmanObjectStore.endpointURL" }]);
  });

  it("fails an endpoint in another region", () => {
    const c = withField(cnpgCluster(), "spec.backup.barmanObjectStore.endpointURL", "https://oos.eu-west-2.outscale.com");
    expect(violationsOf(run(backupRegion, [k8s(c)]))[0]!.message).toMatch(/region of backup endpoint oos.eu-west-2.outscale.com is not an allowed region/);
  });

  it("fails a Velero location in another region, or on the AWS default endpoint", () => {
    expect(violationsOf(run(backupRegion, [k8s(backupStorageLocation({ region: "us-east-1", s3Url: "https://s3.example.test" }))]))[0]).toMatchObject({ path: "spec.config.region" });
    expect(violationsOf(run(backupRegion, [k8s(backupStorageLocation({ region: "cloudgouv-eu-west-1" }))]))[0]).toMatchObject({ path: "spec.config.s3Url" });
  });

  it("ignores clusters without backup section", () => {
    expect(run(backupRegion, [k8s(withField(cnpgCluster(), "spec.backup", undefined))])).toEqual([]);
  });
});
