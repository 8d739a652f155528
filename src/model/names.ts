/** Enumerations of the typed configuration that charts and components take as props. */

export const SIZING_PROFILES = ["small", "medium", "large"] as const;
export type SizingProfile = (typeof SIZING_PROFILES)[number];

export const TLS_ISSUERS = ["internal-ca", "acme"] as const;
export type TlsIssuerKind = (typeof TLS_ISSUERS)[number];
