/** The rule registry: the Kubernetes rules of this folder, then the cloud-graph rules. */
import type { CheckRule } from "../types";
import { CLOUD_RULES } from "./cloud";
import { cnpgBackupTools } from "./cnpg-backup-tools";
import { componentScrape } from "./component-scrape";
import { flowApiServer } from "./flow-api-server";
import { flowPeer } from "./flow-peer";
import { flowWebhook } from "./flow-webhook";
import { httpRouteRefs } from "./httproute-refs";
import { imageSource } from "./image-source";
import { identityFederationRule } from "./identity-federation";
import { listenerCertificate } from "./listener-certificate";
import { kubeletScrape } from "./kubelet-scrape";
import { openCostData } from "./opencost";
import { probePort } from "./probe-port";
import { refConfigMap } from "./ref-configmap";
import { refSecret } from "./ref-secret";
import { refServiceAccount } from "./ref-service-account";
import { refVolume } from "./ref-volume";
import { readonlyRootfs } from "./readonly-rootfs";
import { releaseContract } from "./release-contract";
import { serviceSelector } from "./service-selector";
import { startupDeadlock } from "./startup-deadlock";
import { tlsTrust } from "./tls-trust";

export const KUBERNETES_RULES: readonly CheckRule[] = [
  releaseContract,
  refConfigMap,
  refSecret,
  refVolume,
  refServiceAccount,
  serviceSelector,
  probePort,
  httpRouteRefs,
  listenerCertificate,
  flowApiServer,
  flowWebhook,
  flowPeer,
  readonlyRootfs,
  startupDeadlock,
  tlsTrust,
  cnpgBackupTools,
  identityFederationRule,
  imageSource,
  kubeletScrape,
  componentScrape,
  openCostData,
];

export const ALL_RULES: readonly CheckRule[] = [...KUBERNETES_RULES, ...CLOUD_RULES];
