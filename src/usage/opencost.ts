/**
 * OpenCost's custom pricing from the price sheet: the one function the platform renders
 * (charts/platform/opencost.ts, `socle:opencost`) and `socle usage --opencost-configmap` prints, so both give the
 * same bytes for the same sheet.
 */
export { OPENCOST_CONFIGMAP, OPENCOST_HOURS_PER_MONTH, OPENCOST_NAMESPACE, openCostPricingConfigMap } from "../../charts/platform/opencost";
