/**
 * OpenCost's reading of its pricing ConfigMap, replayed so that tests can say what OpenCost makes of what socle
 * renders. Source: opencost/opencost@5f6533303e3850c8635796a74bb22802d16e9090 (newest stored commit; the 1.120.1
 * tag the chart runs is not in the stored snapshot) — pkg/cloud/provider/provider.go `ConfigWatcherFor` hands
 * the ConfigMap's data to providerconfig.go `UpdateFromMap`, which for each key: upper-cases the first letter
 * (`utils.ToTitle`), divides CPU, SpotCPU, RAM, SpotRAM, GPU and Storage by 730 (`fmt.Sprintf("%f", val/730)`,
 * six decimals; a value that is not a float fails the update), and sets the `CustomPricing` field of that name
 * (pkg/cloud/models/models.go `SetCustomPricingField`: "no such field" fails the whole update; price fields must
 * be floats).
 */

/** The string fields of `CustomPricing` (pkg/cloud/models/models.go, same commit), by Go name. */
const FIELDS = new Set([
  "Provider", "Description", "CPU", "SpotCPU", "RAM", "SpotRAM", "GPU", "SpotGPU", "Storage", "ZoneNetworkEgress",
  "RegionNetworkEgress", "InternetNetworkEgress", "FirstFiveForwardingRulesCost", "AdditionalForwardingRuleCost",
  "LBIngressDataCost", "SpotLabel", "SpotLabelValue", "GpuLabel", "GpuLabelValue", "ServiceKeyName", "ServiceKeySecret",
  "AlibabaServiceKeyName", "AlibabaServiceKeySecret", "AlibabaClusterRegion", "SpotDataRegion", "SpotDataBucket",
  "SpotDataPrefix", "ProjectID", "AthenaProjectID", "AthenaBucketName", "AthenaRegion", "AthenaDatabase", "AthenaCatalog",
  "AthenaTable", "AthenaWorkgroup", "MasterPayerARN", "BillingDataDataset", "CustomPricesEnabled", "DefaultIdle",
  "AzureSubscriptionID", "AzureClientID", "AzureClientSecret", "AzureTenantID", "AzureBillingRegion", "AzureBillingAccount",
  "AzureOfferDurableID", "AzureStorageSubscriptionID", "AzureStorageAccount", "AzureStorageAccessKey", "AzureStorageContainer",
  "AzureContainerPath", "AzureCloud", "CurrencyCode", "Discount", "NegotiatedDiscount", "SharedOverhead", "ClusterName",
  "ClusterAccountID", "SharedNamespaces", "SharedLabelNames", "SharedLabelValues", "ShareTenancyCosts", "ReadOnly",
  "EditorAccess", "KubecostToken", "GoogleAnalyticsTag", "ExcludeProviderID", "DefaultLBPrice",
]);
const MONTHLY = new Set(["CPU", "SpotCPU", "RAM", "SpotRAM", "GPU", "Storage"]);
const PRICES = new Set(["cpu", "gpu", "ram", "spotcpu", "spotgpu", "spotram", "storage", "zonenetworkegress", "regionnetworkegress", "internetnetworkegress"]);
const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The pricing fields OpenCost holds after reading `data`; throws what OpenCost's update would fail with. */
export function openCostReads(data: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(data)) {
    const field = key.charAt(0).toUpperCase() + key.slice(1);
    let value = raw;
    if (MONTHLY.has(field)) {
      if (!FLOAT.test(raw.trim())) throw new Error(`unable to parse CPU from string to float: ${raw}`);
      value = (Number(raw) / 730).toFixed(6);
    }
    if (!FIELDS.has(field)) throw new Error(`error setting custom pricing field: no such field: ${field} in obj`);
    if (PRICES.has(field.toLowerCase()) && value !== "" && !FLOAT.test(value)) throw new Error(`invalid numeric value for field '${field}': ${value}`);
    out[field] = value;
  }
  return out;
}
