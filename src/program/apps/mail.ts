import { BACKUP_CREDENTIALS } from "../../../charts/lib/secrets";
import { MAIL_LOAD_BALANCER, MAIL_SECRETS } from "../../../charts/mail";
import { mailDnsRecords } from "../../../charts/mail/dns-records";
import { Mail } from "../../../components/apps/mail";
import { databaseBackup, gatewayFor, internalCaBundle, publicGatewayPeers, type AppModule } from "../context";

/**
 * SMTP and IMAP host: its own name because it resolves to the mail load balancer, while the web hostname
 * (webmail, JMAP) resolves to the gateway's; one name cannot point at both addresses.
 */
export function mailProtocolHostname(domain: string): string {
  return `mx.${domain}`;
}

/** Mail: Stalwart (SMTP, IMAP, JMAP) and Roundcube webmail. */
export const mail: AppModule = {
  hostPrefix: "mail",
  // Roundcube's OAuth2 login route (its `oauth_redirect_uri` in public deployments, search index file 54576142624).
  // Roundcube's PKCE support is not established here: the realm does not require it.
  sso: { redirectPaths: ["/index.php/login/oauth"], pkce: false, backchannelLogoutPath: null },
  buckets: () => [],
  // SMTP and IMAP arrive on their own load balancer, not through the HTTP gateway.
  loadBalancers: [MAIL_LOAD_BALANCER],
  flows: { objectStorage: true },
  secrets: [BACKUP_CREDENTIALS, MAIL_SECRETS.db, MAIL_SECRETS.webmailDb, MAIL_SECRETS.admin, MAIL_SECRETS.roundcube],
  deploy(ctx) {
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
      ...internalCaBundle(ctx),
    });
    return { url: mail.url, mailHost: mailHostname, dnsRecords: mailDnsRecords({ domain, mxHost: mailHostname, webHost: webHostname }) };
  },
};
