// (b) TLS hosts on one dedicated gateway: SIMPLE with redirect, a second certificate on the same
// port (SNI picks it), a MUTUAL host, and a PASSTHROUGH host routed by SNI. The backends are
// Istio's httpbin and helloworld samples (prerequisites) and, for PASSTHROUGH, an nginx that
// terminates TLS itself (emitted here: no Istio sample does that).
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { TenantGateway, TlsHost, TlsMode } from '../../src';

export class TlsGatewaysChart extends Chart {
  public readonly gateway: TenantGateway;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.gateway = new TenantGateway(this, 'web-gateway', { namespace: 'istioinaction' });
    new TlsHost(this, 'webapp', {
      gateway: this.gateway,
      hosts: ['webapp.istioinaction.io'],
      credentialName: 'webapp-credential',
      destination: { host: 'httpbin', port: 8000 },
    });
    new TlsHost(this, 'catalog', {
      gateway: this.gateway,
      hosts: ['catalog.istioinaction.io'],
      credentialName: 'catalog-credential',
      destination: { host: 'helloworld', port: 5000 },
    });
    new TlsHost(this, 'partner-api', {
      gateway: this.gateway,
      hosts: ['partner.istioinaction.io'],
      mode: TlsMode.MUTUAL,
      credentialName: 'partner-credential', // holds tls.crt, tls.key and ca.crt
      destination: { host: 'httpbin', port: 8000 },
    });
    new TlsHost(this, 'simple-tls-service', {
      gateway: this.gateway,
      hosts: ['simple-sni-1.istioinaction.io'],
      mode: TlsMode.PASSTHROUGH,
      destination: { host: 'my-nginx', port: 443 },
    });
    passthroughBackend(this, 'istioinaction');
  }
}

const NGINX_CONF = `events {}
http {
  server {
    listen 443 ssl;
    server_name simple-sni-1.istioinaction.io;
    ssl_certificate /etc/nginx-server-certs/tls.crt;
    ssl_certificate_key /etc/nginx-server-certs/tls.key;
    location / {
      return 200 "simple-sni-1\\n";
    }
  }
}
`;

/**
 * The PASSTHROUGH host's backend: nginx terminating TLS on 443 with the Secret my-nginx-certs
 * (a prerequisite). Plain ApiObjects: sample workloads are not what this library is for.
 */
export function passthroughBackend(scope: Construct, namespace: string): void {
  const labels = { app: 'my-nginx' };
  new ApiObject(scope, 'my-nginx-config', {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'my-nginx', namespace },
    data: { 'nginx.conf': NGINX_CONF },
  });
  new ApiObject(scope, 'my-nginx-service', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'my-nginx', namespace, labels },
    spec: { selector: labels, ports: [{ name: 'https', port: 443, targetPort: 443, protocol: 'TCP' }] },
  });
  new ApiObject(scope, 'my-nginx-deployment', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'my-nginx', namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{
            name: 'nginx', image: 'docker.io/library/nginx:1.27', ports: [{ containerPort: 443 }],
            volumeMounts: [
              { name: 'config', mountPath: '/etc/nginx', readOnly: true },
              { name: 'certs', mountPath: '/etc/nginx-server-certs', readOnly: true },
            ],
          }],
          volumes: [
            { name: 'config', configMap: { name: 'my-nginx' } },
            { name: 'certs', secret: { secretName: 'my-nginx-certs' } },
          ],
        },
      },
    },
  });
}
