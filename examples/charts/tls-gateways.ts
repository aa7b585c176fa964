// (b) TLS hosts on one dedicated gateway: SIMPLE with redirect, a second certificate on the same
// port (SNI picks it), a MUTUAL host, and a PASSTHROUGH host routed by SNI.
import { Chart } from 'cdk8s';
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
      destination: { host: 'webapp', port: 80 },
    });
    new TlsHost(this, 'catalog', {
      gateway: this.gateway,
      hosts: ['catalog.istioinaction.io'],
      credentialName: 'catalog-credential',
      destination: { host: 'catalog', port: 80 },
    });
    new TlsHost(this, 'partner-api', {
      gateway: this.gateway,
      hosts: ['partner.istioinaction.io'],
      mode: TlsMode.MUTUAL,
      credentialName: 'partner-credential', // holds tls.crt, tls.key and ca.crt
      destination: { host: 'partner-api', port: 8080 },
    });
    new TlsHost(this, 'simple-tls-service', {
      gateway: this.gateway,
      hosts: ['simple-sni-1.istioinaction.io'],
      mode: TlsMode.PASSTHROUGH,
      destination: { host: 'simple-tls-service-1', port: 80 },
    });
  }
}
