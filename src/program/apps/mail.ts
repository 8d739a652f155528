import { TRUST_BUNDLE } from "../../../charts/trust";
import { Mail } from "../../../components/apps/mail";
import { mailDnsRecords } from "../../../charts/mail/dns-records";
import { databaseBackup, gatewayFor, type AppDeployment, type SuiteContext } from "../context";
import { publicGatewayPeers } from "./docs";

/**
 * SMTP and IMAP host: its own name because it resolves to the mail load balancer, while the web hostname
 * (webmail, JMAP) resolves to the gateway's; one name cannot point at both addresses.
 */
export function mailProtocolHostname(domain: string): string {
  return `mx.${domain}`;
}

export function deployMail(ctx: SuiteContext): AppDeployment {
  const sso = ctx.sso.client("mail");
  const domain = ctx.config.domain;
  const webHostname = ctx.hostname("mail");
  const mailHostname = mailProtocolHostname(domain);
  const mail = new Mail("mail", {
    namespace: ctx.namespace("mail"),
    domain,
    webHostname,
    mailHostname,
    sizing: ctx.config.sizing,
    storageClass: ctx.storageClass,
    images: { stalwart: ctx.image("stalwart"), roundcube: ctx.image("roundcube"), postgresql: ctx.image("postgresql"), curl: ctx.image("curl") },
    gateway: gatewayFor(ctx, "mail"),
    clusterIssuer: ctx.clusterIssuer,
    oidc: { issuerUrl: ctx.sso.issuerUrl, clientId: sso.clientId, providerName: ctx.config.organization.name },
    oidcClientSecret: sso.secret,
    publicGateway: publicGatewayPeers(ctx),
    backup: databaseBackup(ctx, "mail"),
    backupCredentials: ctx.backup.credentials,
    apiServer: ctx.apiServer,
    cnpgOperatorNamespace: ctx.cnpgOperatorNamespace,
    // The internal CA's root (trust-manager): Roundcube checks Stalwart's certificate against it.
    ...(ctx.config.tls.issuer === "internal-ca" ? { caBundle: TRUST_BUNDLE } : {}),
  });
  return {
    sites: [{ name: "mail", hostname: webHostname, routeNamespace: ctx.namespace("mail") }],
    outputs: { url: mail.url, mailHost: mailHostname, dnsRecords: mailDnsRecords({ domain, mxHost: mailHostname, webHost: webHostname }) },
  };
}
