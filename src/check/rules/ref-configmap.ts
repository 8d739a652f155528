import type { CheckRule } from "../types";
import { referenceFindings } from "./ref-common";

export const refConfigMap: CheckRule = {
  id: "ref-configmap",
  description: "Every ConfigMap (and key) a pod mounts or reads exists in the render or is created by a known controller (trust-manager Bundle, kube-root-ca.crt)",
  run: (model) => referenceFindings(model, "ref-configmap", "ConfigMap"),
};
