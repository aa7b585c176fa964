// deployment.ServiceAssociationAnalyzer (Istio 1.30, reported as deployment.MultiServiceAnalyzer): a
// Deployment in the mesh selected by several Services of its namespace that expose one port with
// different protocols (IST0116), or map one targetPort to different ports (IST0137).

import { MESSAGES } from '../messages';
import { int, recs, str } from '../objects';
import { Res, ServiceInfo, Workload } from '../resource-index';
import { Analyzer } from './framework';
import { templateInMesh } from './in-mesh';

export const serviceAssociationAnalyzer: Analyzer = {
  name: 'deployment.ServiceAssociationAnalyzer',
  aliases: ['deployment.MultiServiceAnalyzer'],
  run(ctx) {
    const templateOf = new Map<Res, Workload>();
    for (const w of ctx.index.workloads) if (w.res.type === 'Deployment') templateOf.set(w.res, w);
    for (const d of ctx.index.list('Deployment')) {
      if (d.labels['gateway.istio.io/managed'] === 'istio.io-mesh-controller') continue; // waypoints
      const w = templateOf.get(d);
      // Services of the Deployment's namespace whose (non-empty) selector matches its pod template
      // (looked up first: cheaper than the mesh test, and most Deployments have one Service).
      const services: readonly ServiceInfo[] = w ? ctx.index.servicesSelecting(w) : [];
      if (services.length < 2) continue;
      if (!templateInMesh(ctx.index, d.namespace, d.spec)) continue;

      // port -> protocol -> services
      const byPort = new Map<number, Map<string, string[]>>();
      // targetPort -> port -> service (the last one wins, as in Istio's map)
      const byTarget = new Map<string, Map<number, string>>();
      for (const s of services) {
        for (const p of recs(s.res.spec.ports)) {
          const port = int(p.port) ?? 0;
          const protocol = str(p.protocol) || 'TCP';
          let protocols = byPort.get(port);
          if (!protocols) byPort.set(port, protocols = new Map());
          // (Appended, not copied: a copy per Service was quadratic in the Services selecting one Deployment.)
          const names = protocols.get(protocol);
          if (names) names.push(s.res.fullName);
          else protocols.set(protocol, [s.res.fullName]);
          let target = p.targetPort === undefined || p.targetPort === null ? '' : String(p.targetPort);
          if (target === '0' || target === '') target = String(port);
          let ports = byTarget.get(target);
          if (!ports) byTarget.set(target, ports = new Map());
          ports.set(port, s.res.fullName);
        }
      }
      for (const [port, protocols] of [...byPort].sort((a, b) => a[0] - b[0])) {
        if (protocols.size < 2) continue;
        const names = [...protocols.values()].flat().sort();
        ctx.report(d, MESSAGES.DeploymentAssociatedToMultipleServices, [d.name, port, names],
          `Fix: expose port ${port} with one protocol in every Service selecting this Deployment.`);
      }
      for (const [target, ports] of [...byTarget].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        if (ports.size < 2) continue;
        const names = [...ports.values()].sort();
        const numbers = [...ports.keys()].sort((a, b) => a - b);
        ctx.report(d, MESSAGES.DeploymentConflictingPorts, [d.name, names, target, numbers],
          `Fix: map targetPort ${target} to one port number in every Service selecting this Deployment.`);
      }
    }
  },
};
