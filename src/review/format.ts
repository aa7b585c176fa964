// The change review as text (a terminal), markdown (a pull-request comment) and JSON (tools).
// Grouped by gateway, then host; disruptive changes first, each with its reason and safe sequence.

import { groupTitle } from '../graph/render-text';
import { ChangeReview, Disruption, ReviewChange } from './model';

const MARK: Record<ReviewChange['kind'], string> = {
  'host-added': '+', 'host-removed': '-', 'host-moved': '>',
  'listener-opened': '+', 'listener-closed': '-',
  'certificate-changed': '~', 'traffic-shift': '~', 'match-changed': '~', 'route-added': '+', 'route-removed': '-',
};

interface Group { gateway: string; byHost: Map<string, ReviewChange[]> }

function grouped(changes: readonly ReviewChange[]): Group[] {
  const m = new Map<string, Group>();
  for (const c of changes) {
    const g = m.get(c.gateway) ?? m.set(c.gateway, { gateway: c.gateway, byHost: new Map() }).get(c.gateway)!;
    const h = c.host ?? '';
    (g.byHost.get(h) ?? g.byHost.set(h, []).get(h)!).push(c);
  }
  return [...m.values()];
}

const gatewayTitle = groupTitle;

/** ` (Gateway ns/name, host h)` for a disruption, when known. */
function where(d: Disruption): string {
  const parts = [d.gateway && gatewayTitle(d.gateway) !== d.object ? gatewayTitle(d.gateway) : '', d.host ? `host ${d.host}` : ''].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function tally(r: ChangeReview): string {
  const d = r.disruptions.length;
  return `${r.changes.length} change${r.changes.length === 1 ? '' : 's'}, ${d} disruptive`;
}

export function formatReviewText(r: ChangeReview): string {
  const out: string[] = [];
  if (r.disruptions.length > 0) {
    out.push('DISRUPTIVE CHANGES');
    for (const d of r.disruptions) {
      out.push(`  ! [${d.rule}] ${d.object}${where(d)}`, `      why:  ${d.reason}`, `      safe: ${d.safeSequence}`);
    }
    out.push('');
  }
  for (const g of grouped(r.changes)) {
    out.push(gatewayTitle(g.gateway));
    for (const [host, list] of g.byHost) {
      const indent = host ? '    ' : '  ';
      if (host) out.push(`  host ${host}`);
      for (const c of list) out.push(`${indent}${MARK[c.kind]} ${c.summary}`);
    }
  }
  if (r.changes.length === 0 && r.disruptions.length === 0) out.push('No routing changes.');
  out.push('', tally(r));
  return `${out.join('\n')}\n`;
}

/** Markdown cells: no line breaks, pipes escaped, code spans kept short. */
function md(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function disruptionMd(d: Disruption): string[] {
  return [`- **${md(d.object)}**${md(where(d))}: ${md(d.reason)}  `, `  *Safe sequence:* ${md(d.safeSequence)} \`[${d.rule}]\``];
}

export function formatReviewMarkdown(r: ChangeReview): string {
  const out: string[] = ['## Routing change review', '', `**${tally(r)}**`, ''];
  if (r.disruptions.length > 0) {
    out.push('### :warning: Disruptive changes', '');
    for (const d of r.disruptions) out.push(...disruptionMd(d));
    out.push('');
  }
  for (const g of grouped(r.changes)) {
    out.push(`### ${md(gatewayTitle(g.gateway))}`, '');
    for (const [host, list] of g.byHost) {
      if (host) out.push(`**${md(host)}**`, '');
      for (const c of list) {
        if (c.kind === 'traffic-shift' && c.shifts) {
          out.push(`- traffic shift on route ${md(c.route ?? '')}:`, '', '  | destination | before | after |', '  | --- | ---: | ---: |');
          for (const s of c.shifts) out.push(`  | \`${md(s.destination)}\` | ${s.before}% | ${s.after}% |`);
          out.push('');
        } else {
          out.push(`- ${MARK[c.kind] === '+' ? 'added: ' : MARK[c.kind] === '-' ? 'removed: ' : ''}${md(c.summary)}`);
        }
      }
      out.push('');
    }
  }
  if (r.changes.length === 0 && r.disruptions.length === 0) out.push('No routing changes.', '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

export function formatReviewJson(r: ChangeReview): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
