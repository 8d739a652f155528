import type { CheckRule } from "../types";
import { referenceFindings } from "./ref-common";

export const refSecret: CheckRule = {
  id: "ref-secret",
  description: "Every Secret (and key) a pod mounts or reads exists in the render or is created by a known controller (cert-manager Certificate, CloudNativePG Cluster, a Helm release's job)",
  run: (model) => referenceFindings(model, "ref-secret", "Secret"),
};
