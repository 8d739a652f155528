import { DOCS_PORTS } from "./settings";

/**
 * nginx server block of the Docs frontend (nginx-unprivileged serving the Next.js export from `/app`).
 *
 * The static part is upstream's `src/frontend/apps/impress/conf/default.conf` (suitenumerique/docs
 * commit 2d6e34c5551353b50a562e005c10652beb8ae47c). `/media/` adds upstream's production pattern
 * (`docker/files/production/etc/nginx/conf.d/default.conf.template`, commit 01e13f87b3325e95bacbaeea80da50216780fda3):
 * every media request is first authorised by the backend (`media-auth`), which answers with S3 signature
 * headers; nginx forwards them to the bucket. The gateway cannot express that sub-request, so it lives here.
 */
export function frontendNginxConf(props: { readonly namespace: string; readonly mediaEndpointURL: string; readonly bucket: string }): string {
  const s3 = new URL(props.mediaEndpointURL);
  // The backend signs for the endpoint's host (with its port): the Host header must be the same.
  const s3Host = s3.host;
  const backend = `docs-backend.${props.namespace}.svc:${DOCS_PORTS.backend}`;
  return `server {
    listen ${DOCS_PORTS.frontend};
    server_name _;
    server_tokens off;
    root /app;

    location / {
        try_files $uri index.html $uri/index.html =404;
        add_header X-Frame-Options DENY always;
    }

    location ~ "^/docs/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/?$" {
        try_files $uri /docs/[id]/index.html;
        add_header X-Frame-Options DENY always;
    }

    error_page 404 /404.html;
    location = /404.html {
        internal;
    }

    location /media/ {
        auth_request /media-auth;
        auth_request_set $auth_header $upstream_http_authorization;
        auth_request_set $auth_date $upstream_http_x_amz_date;
        auth_request_set $auth_content_sha256 $upstream_http_x_amz_content_sha256;
        proxy_set_header Authorization $auth_header;
        proxy_set_header X-Amz-Date $auth_date;
        proxy_set_header X-Amz-Content-SHA256 $auth_content_sha256;
        proxy_set_header Host ${s3Host};
        proxy_pass ${s3.protocol}//${s3Host}/${props.bucket}/;
        add_header Content-Security-Policy "default-src 'none'" always;
    }

    location = /media-auth {
        internal;
        proxy_pass http://${backend}/api/v1.0/documents/media-auth/;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-Proto https;
        proxy_set_header X-Original-URL $request_uri;
        proxy_set_header X-Original-Method $request_method;
        proxy_pass_request_body off;
        proxy_set_header Content-Length "";
    }
}
`;
}
