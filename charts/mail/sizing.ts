import type { SizingProfile } from "../../src/model/names";
import type { Resources } from "../lib/sizing";

export interface MailSize {
  readonly stalwart: { readonly resources: Resources; readonly dbPoolMax: number };
  readonly roundcube: { readonly replicas: number; readonly resources: Resources };
  /** Mail database: messages and attachments live in it (blob store = data store), hence the storage. */
  readonly mailDb: { readonly storage: string; readonly resources: Resources };
  /** Roundcube's database: sessions, preferences, contacts, cache. */
  readonly webmailDb: { readonly storage: string; readonly resources: Resources };
}

/** Starting points per profile (500 / 5,000 / 50,000 users); mail storage grows with quotas, watch it. */
export function mailSize(profile: SizingProfile): MailSize {
  switch (profile) {
    case "small":
      return {
        stalwart: { resources: { cpuRequest: "250m", memoryRequest: "512Mi", memoryLimit: "1Gi" }, dbPoolMax: 10 },
        roundcube: { replicas: 1, resources: { cpuRequest: "100m", memoryRequest: "128Mi", memoryLimit: "512Mi" } },
        mailDb: { storage: "50Gi", resources: { cpuRequest: "250m", memoryRequest: "512Mi", memoryLimit: "1Gi" } },
        webmailDb: { storage: "2Gi", resources: { cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "512Mi" } },
      };
    case "medium":
      return {
        stalwart: { resources: { cpuRequest: "1", memoryRequest: "2Gi", memoryLimit: "4Gi" }, dbPoolMax: 40 },
        roundcube: { replicas: 2, resources: { cpuRequest: "250m", memoryRequest: "256Mi", memoryLimit: "1Gi" } },
        mailDb: { storage: "500Gi", resources: { cpuRequest: "1", memoryRequest: "4Gi", memoryLimit: "8Gi" } },
        webmailDb: { storage: "10Gi", resources: { cpuRequest: "250m", memoryRequest: "512Mi", memoryLimit: "1Gi" } },
      };
    case "large":
      return {
        stalwart: { resources: { cpuRequest: "4", memoryRequest: "8Gi", memoryLimit: "16Gi" }, dbPoolMax: 100 },
        roundcube: { replicas: 3, resources: { cpuRequest: "500m", memoryRequest: "512Mi", memoryLimit: "2Gi" } },
        mailDb: { storage: "5Ti", resources: { cpuRequest: "4", memoryRequest: "16Gi", memoryLimit: "32Gi" } },
        webmailDb: { storage: "50Gi", resources: { cpuRequest: "1", memoryRequest: "2Gi", memoryLimit: "4Gi" } },
      };
  }
}
