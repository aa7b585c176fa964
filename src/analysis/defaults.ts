// What `istioctl analyze --use-kube=false` assumes exists when it reads only files: Istio's default
// ingress gateway, a Pod labelled `istio: ingressgateway` and the Service `istio-ingressgateway` in
// istio-system with the ports of the default profile (pkg/config/analysis/local/defaults.go).
// Without them Istio's own samples would be reported for a selector that matches nothing.

/** The default ingress gateway Pod and Service that istioctl assumes offline, as plain objects (fresh copies). */
export function istioctlOfflineDefaults(): object[] {
  const selector = { istio: 'ingressgateway' };
  return [
    {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'istio-ingressgateway-dummypod', namespace: 'istio-system', labels: { ...selector } },
      spec: { containers: [{ name: 'istio-proxy' }] },
    },
    {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
      spec: {
        selector: { ...selector },
        ports: [
          { name: 'http2', port: 80, targetPort: 80, protocol: 'TCP' },
          { name: 'https', port: 443, targetPort: 443, protocol: 'TCP' },
          { name: 'tcp', port: 31400, targetPort: 31400, protocol: 'TCP' },
          { name: 'tls', port: 15443, targetPort: 15443, protocol: 'TCP' },
        ],
      },
    },
  ];
}
