// Cluster view: nodes on a ring with role, term and election timer, messages in flight, crashed nodes and cut links.

import * as d3 from "d3";
import type { NodeId, TraceEvent } from "@course/sim";
import { nodesOf, snapshotAt, type ClusterSnapshot } from "./model.js";
import { CRASHED, CUT, nodeName, roleColor, typeColor } from "./palette.js";
import { isElectionTimer, role, short, term, transactionStates, votedFor } from "./views.js";

export interface ClusterOptions {
  readonly width?: number;
  readonly height?: number;
  /** Show the cluster after this step (default: the end of the trace). */
  readonly step?: number;
  /** Virtual time used to place messages along their links (default: time of the step). */
  readonly time?: number;
  readonly nodes?: readonly NodeId[];
  /** A snapshot already computed for `step` (the player keeps one to avoid replaying the trace each frame). */
  readonly snapshot?: ClusterSnapshot;
  readonly onNodeClick?: (node: NodeId) => void;
  /** Called with both ends of a clicked link. */
  readonly onLinkClick?: (a: NodeId, b: NodeId) => void;
}

export function clusterView(events: readonly TraceEvent[], options: ClusterOptions = {}): SVGSVGElement {
  const nodes = options.nodes ?? nodesOf(events);
  const step = options.step ?? (events.length ? (events[events.length - 1] as TraceEvent).step : 0);
  const snap = options.snapshot ?? snapshotAt(events, step, nodes);
  const now = options.time ?? snap.time;
  const width = Math.max(240, options.width ?? 480);
  const height = options.height ?? Math.round(Math.min(width * 0.72, 380));
  const cx = width / 2;
  const cy = height / 2;
  // Room outside the ring for each node's two label lines (role, term) and its timer ring.
  const outer = Math.min(width, height) / 2;
  const nodeR = Math.max(14, Math.min(28, ((outer - 40) * Math.PI) / Math.max(nodes.length, 3) / 2.6));
  const ringR = outer - nodeR - 34;
  const pos = new Map<NodeId, [number, number]>();
  nodes.forEach((id, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / nodes.length;
    pos.set(id, [cx + ringR * Math.cos(a), cy + ringR * Math.sin(a)]);
  });

  const svg = d3
    .create("svg")
    .attr("class", "chart cluster-view")
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("width", width)
    .attr("height", height)
    .attr("role", "img")
    .attr("aria-label", "Cluster view")
    .attr("data-time", String(now));

  // Links: every pair; a cut direction is drawn red and dashed, with a cross in the middle.
  const linkLayer = svg.append("g").attr("class", "links");
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i] as NodeId;
      const b = nodes[j] as NodeId;
      const [x1, y1] = pos.get(a) as [number, number];
      const [x2, y2] = pos.get(b) as [number, number];
      const ab = snap.blocked.has(`${a}>${b}`);
      const ba = snap.blocked.has(`${b}>${a}`);
      const cut = ab || ba;
      const g = linkLayer.append("g").attr("class", cut ? "link cut" : "link").attr("data-link", `${a}-${b}`);
      g.append("line")
        .attr("x1", x1).attr("y1", y1).attr("x2", x2).attr("y2", y2)
        .attr("stroke", cut ? CUT : "#d5dbe3")
        .attr("stroke-width", cut ? 2 : 1.2)
        .attr("stroke-dasharray", cut ? "5 4" : null);
      if (cut) {
        const mx = (x1 + x2) / 2;
        const my = (y1 + y2) / 2;
        const dir = ab && ba ? "both ways" : ab ? `${nodeName(a)}→${nodeName(b)}` : `${nodeName(b)}→${nodeName(a)}`;
        g.append("text").attr("x", mx).attr("y", my + 4).attr("text-anchor", "middle").attr("class", "cut-mark").attr("fill", CUT).attr("font-weight", 700).text("✕");
        g.append("title").text(`link cut ${dir}`);
      }
      if (options.onLinkClick) {
        const click = options.onLinkClick;
        g.append("line")
          .attr("class", "link-hit")
          .attr("x1", x1).attr("y1", y1).attr("x2", x2).attr("y2", y2)
          .attr("stroke", "transparent")
          .attr("stroke-width", 12)
          .style("cursor", "pointer")
          .on("click", () => click(a, b))
          .append("title").text(cut ? `heal the link ${nodeName(a)}–${nodeName(b)}` : `cut the link ${nodeName(a)}–${nodeName(b)}`);
      }
    }
  }

  // Messages in flight, placed by how far along their latency they are at `now`.
  const msgLayer = svg.append("g").attr("class", "messages");
  for (const m of snap.inFlight.values()) {
    const p = pos.get(m.from);
    const q = pos.get(m.to);
    if (!p || !q) continue;
    const span = m.deliverAt - m.sentAt;
    const f = span <= 0 ? 1 : Math.max(0, Math.min(1, (now - m.sentAt) / span));
    // Start and end at the node rims so a message never hides under a node.
    const dx = q[0] - p[0];
    const dy = q[1] - p[1];
    const len = Math.hypot(dx, dy) || 1;
    const inset = nodeR / len;
    const t = inset + f * (1 - 2 * inset);
    msgLayer
      .append("circle")
      .attr("class", "msg")
      .attr("data-type", m.msg.type)
      .attr("cx", p[0] + dx * t)
      .attr("cy", p[1] + dy * t)
      .attr("r", 5.5)
      .attr("fill", typeColor(m.msg.type))
      .attr("stroke", "white")
      .attr("stroke-width", 1)
      .append("title")
      .text(`${m.msg.type} ${nodeName(m.from)}→${nodeName(m.to)}\n${JSON.stringify(m.msg)}`);
  }

  // Nodes.
  const nodeLayer = svg.append("g").attr("class", "nodes");
  for (const id of nodes) {
    const n = snap.nodes.get(id);
    const [x, y] = pos.get(id) as [number, number];
    const status = n?.status ?? "up";
    const r = role(n?.view);
    const t = term(n?.view);
    const g = nodeLayer
      .append("g")
      .attr("class", `node ${status}${r ? ` role-${r.toLowerCase()}` : ""}`)
      .attr("data-node", String(id))
      .attr("data-status", status)
      .attr("data-role", r ?? "")
      .attr("transform", `translate(${x},${y})`);
    if (options.onNodeClick) {
      const click = options.onNodeClick;
      g.style("cursor", "pointer").on("click", () => click(id));
    }
    const fill = status === "crashed" ? CRASHED : roleColor(r);
    g.append("circle")
      .attr("class", "node-body")
      .attr("r", nodeR)
      .attr("fill", fill)
      .attr("fill-opacity", status === "paused" ? 0.45 : 1)
      .attr("stroke", r?.toLowerCase() === "leader" && status !== "crashed" ? "#0d4f3c" : "white")
      .attr("stroke-width", r?.toLowerCase() === "leader" && status !== "crashed" ? 3 : 2)
      .attr("stroke-dasharray", status === "paused" ? "4 3" : null);

    // Election timer: the ring empties as the timeout approaches.
    const timer = status === "up" ? [...(n?.timers.entries() ?? [])].find(([name]) => isElectionTimer(name)) : undefined;
    if (timer) {
      const { setAt, fireAt } = timer[1];
      const left = fireAt <= setAt ? 0 : Math.max(0, Math.min(1, (fireAt - now) / (fireAt - setAt)));
      const arc = d3.arc<unknown>()({ innerRadius: nodeR + 3, outerRadius: nodeR + 6, startAngle: 0, endAngle: 2 * Math.PI * left });
      g.append("path").attr("class", "timer-ring").attr("d", arc ?? "").attr("fill", "#e6a117").attr("opacity", 0.85)
        .append("title").text(`${timer[0]} fires at ${Math.round(fireAt)} ms`);
    }
    g.append("text")
      .attr("class", "node-id")
      .attr("text-anchor", "middle")
      .attr("dy", "0.35em")
      .attr("fill", "white")
      .attr("font-weight", 700)
      .attr("font-size", Math.round(nodeR * 0.62))
      .text(nodeName(id));
    if (status === "crashed") {
      const k = nodeR * 0.75;
      g.append("path").attr("class", "crash-mark").attr("d", `M${-k},${-k}L${k},${k}M${k},${-k}L${-k},${k}`).attr("stroke", CUT).attr("stroke-width", 3).attr("opacity", 0.9);
    }
    // Below (or above, for the top half) the node: role and term.
    const below = y >= cy - 1 || nodes.length <= 2;
    const labelY = below ? nodeR + 16 : -nodeR - 22;
    const roleText = status === "crashed" ? "crashed" : status === "paused" ? `paused${r ? ` (${r})` : ""}` : r ?? "";
    g.append("text").attr("class", "node-role").attr("text-anchor", "middle").attr("y", labelY).attr("font-size", 12).attr("fill", status === "crashed" ? CUT : "#33404d").text(roleText);
    const detail: string[] = [];
    if (t !== undefined && status !== "crashed") detail.push(`term ${t}`);
    const vote = votedFor(n?.view);
    // On a phone-width chart the vote would collide with the neighbour's label.
    if (width >= 420 && vote !== undefined && vote !== null && status !== "crashed" && r?.toLowerCase() !== "leader") detail.push(`voted ${typeof vote === "number" ? nodeName(vote) : short(vote, 6)}`);
    const txns = status === "crashed" ? undefined : transactionStates(n?.view);
    if (txns) detail.push(txns);
    g.append("text").attr("class", "node-term").attr("text-anchor", "middle").attr("y", labelY + 14).attr("font-size", 11).attr("fill", "#5b6b7b").text(detail.join(" · "));
    g.append("title").text(`${nodeName(id)}: ${status}${n?.view === undefined ? "" : `\n${JSON.stringify(n.view, null, 1).slice(0, 600)}`}`);
  }
  return svg.node() as SVGSVGElement;
}
