/**
 * The DNS records the operator publishes for the mail domain, as zone-file lines (RFC 1035 master file
 * syntax). Pure: computed from names only; where a value exists only at run time (the DKIM public key,
 * the load balancers' addresses) the line is a comment saying where to read it.
 */

export interface MailDnsInput {
  /** Mail domain of the addresses (`alice@<domain>`). */
  readonly domain: string;
  /** Host of SMTP and IMAP (MX target), on the mail load balancer's address. */
  readonly mxHost: string;
  /** Host of the webmail and JMAP, on the gateway's address. */
  readonly webHost: string;
  readonly ttl?: number;
}

/** Published to clients in SRV records (RFC 6186, RFC 8314); `0 0 0 .` says a service is not offered. */
const OFFERED = [
  { service: "_submissions._tcp", port: 465 },
  { service: "_submission._tcp", port: 587 },
  { service: "_imaps._tcp", port: 993 },
] as const;
const NOT_OFFERED = ["_imap._tcp", "_pop3._tcp", "_pop3s._tcp"] as const;

const LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
const DNS_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(\\.${LABEL})+$`);

export const DKIM_PLACEHOLDER = "[published by Stalwart at first start: see docs/components/mail.md]";

function checkName(what: string, name: string): void {
  if (!DNS_NAME.test(name)) {
    throw new Error(`mail DNS records: ${what} "${name}" is not a lower-case DNS name with at least two labels (e.g. example.org); fix socle:domain in the stack file`);
  }
}

const fqdn = (name: string) => `${name}.`;
const txt = (value: string) => `"${value}"`;

export function mailDnsRecords(i: MailDnsInput): string[] {
  checkName("domain", i.domain);
  checkName("mail host", i.mxHost);
  checkName("web host", i.webHost);
  const ttl = i.ttl ?? 3600;
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > 86400) throw new Error(`mail DNS records: ttl ${ttl} must be an integer between 60 and 86400 seconds`);
  const d = i.domain;
  const rr = (name: string, type: string, data: string) => `${fqdn(name)} ${ttl} IN ${type} ${data}`;
  const report = `mailto:postmaster@${d}`;
  return [
    `; Mail records for ${d} (socle). Addresses: ${i.mxHost} -> the mail LoadBalancer, ${i.webHost} -> the gateway.`,
    `; ${fqdn(i.mxHost)} ${ttl} IN A <external address of the mail LoadBalancer Service>`,
    `; ${fqdn(i.webHost)} ${ttl} IN A <external address of the gateway>`,
    `; Reverse DNS (PTR) of the mail LoadBalancer address must name ${fqdn(i.mxHost)}: ask the hosting provider.`,
    rr(d, "MX", `10 ${fqdn(i.mxHost)}`),
    rr(d, "TXT", txt("v=spf1 mx -all")),
    rr(`_dmarc.${d}`, "TXT", txt(`v=DMARC1; p=quarantine; adkim=s; aspf=s; rua=${report}`)),
    rr(`_smtp._tls.${d}`, "TXT", txt(`v=TLSRPTv1; rua=${report}`)),
    `; DKIM: <selector>._domainkey.${d}. IN TXT ${DKIM_PLACEHOLDER}`,
    ...OFFERED.map((s) => rr(`${s.service}.${d}`, "SRV", `0 1 ${s.port} ${fqdn(i.mxHost)}`)),
    ...NOT_OFFERED.map((s) => rr(`${s}.${d}`, "SRV", "0 0 0 .")),
    rr(`_autodiscover._tcp.${d}`, "SRV", `0 1 443 ${fqdn(i.webHost)}`),
  ];
}
