import type { Control } from "./types";
import { control as cloudAdminPorts } from "./controls/cloud/admin-ports";
import { control as cloudAntiAffinity } from "./controls/cloud/anti-affinity";
import { control as cloudEncryptionAtRest } from "./controls/cloud/encryption-at-rest";
import { control as cloudEuJurisdiction } from "./controls/cloud/eu-jurisdiction";
import { control as cloudProviderAttestation } from "./controls/cloud/provider-attestation";
import { control as cloudRegionAllowlist } from "./controls/cloud/region-allowlist";
import { control as dataBackupRegion } from "./controls/data/backup-region";
import { control as dataBackupSchedule } from "./controls/data/backup-schedule";
import { control as dataDeletionProtection } from "./controls/data/deletion-protection";
import { control as identityAdminMfa } from "./controls/identity/admin-mfa";
import { control as identityFederation } from "./controls/identity/federation";
import { control as identityPasswordPolicy } from "./controls/identity/password-policy";
import { control as logsRetention } from "./controls/logs/retention";
import { control as networkDeclaredLoadBalancers } from "./controls/network/declared-load-balancers";
import { control as networkDefaultDeny } from "./controls/network/default-deny";
import { control as networkGatewayTls } from "./controls/network/gateway-tls";
import { control as networkNoNodeport } from "./controls/network/no-nodeport";
import { control as networkTenantIsolation } from "./controls/network/tenant-isolation";
import { control as networkTlsVersion } from "./controls/network/tls-version";
import { control as workloadImageDigest } from "./controls/workload/image-digest";
import { control as workloadPlaintextSecrets } from "./controls/workload/plaintext-secrets";
import { control as workloadProbes } from "./controls/workload/probes";
import { control as workloadPssBaseline } from "./controls/workload/pss-baseline";
import { control as workloadPssRestricted } from "./controls/workload/pss-restricted";
import { control as workloadResources } from "./controls/workload/resources";
import { control as workloadServiceAccountToken } from "./controls/workload/service-account-token";

/** Every control of the catalog, sorted by id. A control's id is `snc-<area>-<topic>` for `controls/<area>/<topic>.ts`. */
export const CONTROLS: readonly Control[] = [
  cloudAdminPorts,
  cloudAntiAffinity,
  cloudEncryptionAtRest,
  cloudEuJurisdiction,
  cloudProviderAttestation,
  cloudRegionAllowlist,
  dataBackupRegion,
  dataBackupSchedule,
  dataDeletionProtection,
  identityAdminMfa,
  identityFederation,
  identityPasswordPolicy,
  logsRetention,
  networkDeclaredLoadBalancers,
  networkDefaultDeny,
  networkGatewayTls,
  networkNoNodeport,
  networkTenantIsolation,
  networkTlsVersion,
  workloadImageDigest,
  workloadPlaintextSecrets,
  workloadProbes,
  workloadPssBaseline,
  workloadPssRestricted,
  workloadResources,
  workloadServiceAccountToken,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

const BY_ID: ReadonlyMap<string, Control> = new Map(CONTROLS.map((c) => [c.id, c]));

export function controlById(id: string): Control | undefined {
  return BY_ID.get(id);
}
