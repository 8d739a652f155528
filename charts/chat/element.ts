/**
 * Element Web: its `config.json` and the nginx server block that serves it.
 *
 * Option names: element-hq/element-web docs/config.md (search index file 3406389415, commit
 * 004e8edcb2c93de18d67820642b4389e771a8fe7). Every option that would make the browser call a
 * third-party service (integration manager, bug reports, analytics, identity server, Jitsi, app promotion)
 * is left blank, absent or hidden.
 */

export const ELEMENT_PORT = 8080;
/** The `nginx` user of the official nginx alpine images, which Element's image runs as (`USER nginx`). */
export const ELEMENT_UID = 101;
export const ELEMENT_CONFIG_DIR = "/etc/element";

export interface ElementInput {
  readonly publicHostname: string;
  readonly serverName: string;
  readonly brand: string;
  readonly federation: boolean;
}

export function elementConfig(i: ElementInput): string {
  const base = `https://${i.publicHostname}`;
  const config = {
    default_server_config: { "m.homeserver": { base_url: base, server_name: i.serverName } },
    disable_custom_urls: true,
    disable_guests: true,
    disable_3pid_login: true,
    default_federate: i.federation,
    brand: i.brand,
    default_country_code: "FR",
    default_theme: "light",
    room_directory: { servers: [i.serverName] },
    // Send unauthenticated users straight to the identity provider when they open the app.
    sso_redirect_options: { on_welcome_page: true },
    // Unfederated: permalinks point at this instance, not matrix.to.
    permalink_prefix: base,
    integrations_ui_url: "",
    integrations_rest_url: "",
    integrations_widgets_urls: [],
    show_labs_settings: false,
    mobile_guide_toast: false,
    setting_defaults: {
      "UIFeature.registration": false,
      "UIFeature.passwordReset": false,
      "UIFeature.deactivate": false,
      "UIFeature.identityServer": false,
      "UIFeature.thirdPartyId": false,
      "UIFeature.feedback": false,
      "UIFeature.urlPreviews": false,
      // Calls would default to public Jitsi / Element Call servers.
      "UIFeature.voip": false,
      "UIFeature.widgets": false,
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** `/.well-known/matrix/client`: lets any Matrix client find the homeserver from the hostname. */
export function wellKnownClient(publicHostname: string): string {
  return `${JSON.stringify({ "m.homeserver": { base_url: `https://${publicHostname}` } }, null, 2)}\n`;
}

/** `/.well-known/matrix/server`, served only when federation is allowed: remote servers reach us on 443. */
export function wellKnownServer(publicHostname: string): string {
  return `${JSON.stringify({ "m.server": `${publicHostname}:443` }, null, 2)}\n`;
}

/**
 * Static files from the image's `/app` (element-hq/element-web Dockerfile: `COPY --from=builder /src/webapp /app`),
 * config and well-known documents from the mounted ConfigMap. Cache headers follow upstream's
 * docker/nginx-templates/default.conf.template.
 */
export function elementNginxConf(i: { readonly federation: boolean }): string {
  const serverWellKnown = i.federation
    ? `
    location = /.well-known/matrix/server {
        alias ${ELEMENT_CONFIG_DIR}/well-known-server.json;
        default_type application/json;
    }
`
    : "";
  // nginx drops server-level add_header in a location that sets its own: repeat them there.
  const security = [
    `add_header X-Frame-Options SAMEORIGIN always;`,
    `add_header X-Content-Type-Options nosniff always;`,
    `add_header Content-Security-Policy "frame-ancestors 'self'" always;`,
  ];
  const inServer = security.map((h) => `    ${h}`).join("\n");
  const inLocation = security.map((h) => `        ${h}`).join("\n");
  return `server {
    listen ${ELEMENT_PORT};
    server_name _;
    server_tokens off;
    root /app;
    index index.html;

${inServer}

    location = /index.html {
        add_header Cache-Control "no-cache";
${inLocation}
    }
    location = /version {
        add_header Cache-Control "no-cache";
${inLocation}
    }
    location = /config.json {
        alias ${ELEMENT_CONFIG_DIR}/config.json;
        add_header Cache-Control "no-cache";
${inLocation}
    }
    location = /.well-known/matrix/client {
        alias ${ELEMENT_CONFIG_DIR}/well-known-client.json;
        default_type application/json;
        add_header Access-Control-Allow-Origin "*";
    }
${serverWellKnown}
    error_page 500 502 503 504 /50x.html;
}
`;
}
