// Cluster view: servers on a ring with role, term and election timer, messages in flight, crashed servers and cut links.

import * as d3 from "d3";
import type { NodeId, TraceEvent } from "@course/sim";
import { nodesOf, snapshotAt, type ClusterSnapshot, type FlightMessage } from "./model.js";
import { CRASHED, CUT, INK, INK_SOFT, nodeName, overWhite, roleColor, textOn, TIMER, typeColor } from "./palette.js";
import { isElectionTimer, role, short, term, transactionStates, votedFor } from "./views.js";

export interface ClusterOptions {
  readonly width?: number;
  readonly height?: number;
  /** Show the cluster after this step (default: the end of the trace). */
  readonly step?: number;
  /** Virtual time used to place messages along their links (default: time of the step). */
  readonly time?: number;
  readonly nodes?: readonly NodeId[];
  /** A snapshot already computed for `step`. */
  readonly snapshot?: ClusterSnapshot;
}

/** What the player tells the view each frame. */
export interface ClusterFrame {
  readonly snap: ClusterSnapshot;
  readonly now: number;
  /** Messages delivered in the step being animated, drawn on their last stretch: f goes from where they were to 1. */
  readonly arriving?: ReadonlyArray<{ readonly m: FlightMessage; readonly f: number }>;
  readonly selectedNode?: NodeId | undefined;
  readonly selectedMessage?: number | undefined;
}

export interface ClusterHandlers {
  readonly onNode?: (node: NodeId) => void;
  /** Both ends of an activated link. */
  readonly onLink?: (a: NodeId, b: NodeId) => void;
  readonly onMessage?: (msgId: number) => void;
}

interface Layout {
  width: number;
  height: number;
  cx: number;
  cy: number;
  nodeR: number;
  pos: Map<NodeId, [number, number]>;
  /** On a crowded ring labels drop the vote; on a very crowded one they shrink to one short line. */
  compact: boolean;
  tiny: boolean;
}

const ROLE_SHORT: Record<string, string> = { leader: "L", candidate: "C", precandidate: "PC", follower: "F", acceptor: "A", proposer: "P", coordinator: "coord", participant: "part" };

/** Enter activates a focused server or link (Space is the player's play key, whatever has focus). */
function enterKey<T>(act: (d: T) => void): (ev: KeyboardEvent, d: T) => void {
  return (ev, d) => {
    if (ev.key !== "Enter") return;
    ev.preventDefault();
    act(d);
  };
}

/** A persistent cluster drawing: `layout` when the nodes or the size change, `update` every frame (only what changed is touched). */
export class ClusterRenderer {
  readonly element: SVGSVGElement;
  private readonly svg: d3.Selection<SVGSVGElement, undefined, null, undefined>;
  private readonly linkLayer: d3.Selection<SVGGElement, undefined, null, undefined>;
  private readonly msgLayer: d3.Selection<SVGGElement, undefined, null, undefined>;
  private readonly nodeLayer: d3.Selection<SVGGElement, undefined, null, undefined>;
  private lay: Layout | undefined;
  private nodes: readonly NodeId[] = [];
  /** Last drawn state per node and link, to skip untouched ones. */
  private nodeKeys = new Map<NodeId, string>();
  private timerPaths = new Map<NodeId, string>();
  private linkKeys = new Map<string, string>();

  constructor(private readonly handlers: ClusterHandlers = {}) {
    this.svg = d3.create("svg").attr("class", "chart cluster-view").attr("role", handlers.onNode ? "group" : "img").attr("aria-label", "Cluster: servers, links and messages in flight");
    this.element = this.svg.node() as SVGSVGElement;
    this.linkLayer = this.svg.append("g").attr("class", "links");
    this.msgLayer = this.svg.append("g").attr("class", "messages");
    this.nodeLayer = this.svg.append("g").attr("class", "nodes");
  }

  layout(nodes: readonly NodeId[], width: number, height: number): void {
    width = Math.max(240, Math.round(width));
    height = Math.round(height);
    if (this.lay && this.lay.width === width && this.lay.height === height && nodes.length === this.nodes.length && nodes.every((n, i) => n === this.nodes[i])) return;
    this.nodes = [...nodes];
    const cx = width / 2;
    const cy = height / 2;
    // Room outside the ring for each node's timer ring and its two label lines.
    const outer = Math.min(width, height) / 2;
    const nodeR = Math.max(14, Math.min(26, ((outer - 40) * Math.PI) / Math.max(nodes.length, 3) / 2.6));
    const ringR = outer - nodeR - 40;
    const pos = new Map<NodeId, [number, number]>();
    nodes.forEach((id, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / nodes.length;
      pos.set(id, [cx + ringR * Math.cos(a), cy + ringR * Math.sin(a)]);
    });
    // Neighbours closer than a full label's width share a short label instead.
    const chord = nodes.length < 2 ? Infinity : 2 * ringR * Math.sin(Math.PI / nodes.length);
    this.lay = { width, height, cx, cy, nodeR, pos, compact: chord < 130, tiny: chord < 80 };
    this.svg.attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height);
    this.nodeKeys.clear();
    this.timerPaths.clear();
    this.linkKeys.clear();
    this.drawStructure();
  }

  private drawStructure(): void {
    const lay = this.lay as Layout;
    const pairs: Array<[NodeId, NodeId]> = [];
    for (let i = 0; i < this.nodes.length; i++) for (let j = i + 1; j < this.nodes.length; j++) pairs.push([this.nodes[i] as NodeId, this.nodes[j] as NodeId]);
    const h = this.handlers;
    this.linkLayer
      .selectAll<SVGGElement, [NodeId, NodeId]>("g.link")
      .data(pairs, (d) => `${d[0]}-${d[1]}`)
      .join((enter) => {
        const g = enter.append("g").attr("class", "link").attr("data-link", (d) => `${d[0]}-${d[1]}`);
        g.append("line").attr("class", "link-line");
        g.append("text").attr("class", "cut-mark").attr("text-anchor", "middle").attr("font-weight", 700).attr("fill", CUT).attr("data-bg", "#ffffff").attr("aria-hidden", "true").text("✕").attr("display", "none");
        if (h.onLink) {
          g.append("line").attr("class", "link-hit").attr("stroke", "transparent").attr("stroke-width", 14).style("cursor", "pointer");
          g.attr("tabindex", 0).attr("role", "button").on("click", (_ev, d) => h.onLink?.(d[0], d[1])).on("keydown", enterKey<[NodeId, NodeId]>((d) => h.onLink?.(d[0], d[1])));
        }
        return g;
      })
      .each(function (d) {
        const [x1, y1] = lay.pos.get(d[0]) as [number, number];
        const [x2, y2] = lay.pos.get(d[1]) as [number, number];
        const g = d3.select(this);
        g.selectAll("line").attr("x1", x1).attr("y1", y1).attr("x2", x2).attr("y2", y2);
        g.select("text.cut-mark").attr("x", (x1 + x2) / 2).attr("y", (y1 + y2) / 2 + 4);
      });

    this.nodeLayer
      .selectAll<SVGGElement, NodeId>("g.node")
      .data(this.nodes, (d) => String(d))
      .join((enter) => {
        const g = enter.append("g").attr("class", "node").attr("data-node", (d) => String(d));
        g.append("path").attr("class", "timer-ring").attr("fill", TIMER);
        g.append("circle").attr("class", "node-body");
        g.append("circle").attr("class", "select-ring").attr("fill", "none").attr("stroke", INK).attr("stroke-width", 2).attr("stroke-dasharray", "3 2").attr("display", "none");
        // A server's button is named by the texts it shows (name, role, term), exactly what a sighted reader sees.
        g.append("text").attr("class", "node-id").attr("text-anchor", "middle").attr("dy", "0.35em").attr("fill", "white").attr("font-weight", 700);
        g.append("path").attr("class", "crash-mark").attr("stroke", CUT).attr("stroke-width", 3).attr("display", "none");
        g.append("text").attr("class", "node-role").attr("text-anchor", "middle").attr("font-size", 12).attr("data-bg", "#ffffff");
        g.append("text").attr("class", "node-term").attr("text-anchor", "middle").attr("font-size", 11).attr("fill", INK_SOFT).attr("data-bg", "#ffffff");
        if (h.onNode) {
          g.attr("tabindex", 0).attr("role", "button").style("cursor", "pointer").on("click", (_ev, d) => h.onNode?.(d)).on("keydown", enterKey<NodeId>((d) => h.onNode?.(d)));
        }
        return g;
      })
      .attr("transform", (d) => {
        const [x, y] = lay.pos.get(d) as [number, number];
        return `translate(${x},${y})`;
      })
      .each(function () {
        const g = d3.select(this);
        g.select("circle.node-body").attr("r", lay.nodeR);
        g.select("circle.select-ring").attr("r", lay.nodeR + 9);
        g.select("text.node-id").attr("font-size", Math.round(lay.nodeR * 0.62));
        const k = lay.nodeR * 0.75;
        g.select("path.crash-mark").attr("d", `M${-k},${-k}L${k},${k}M${k},${-k}L${-k},${k}`);
      });
  }

  update(frame: ClusterFrame): void {
    const lay = this.lay;
    if (!lay) return;
    const { snap, now } = frame;
    this.svg.attr("data-time", String(now));
    this.updateLinks(snap);
    this.updateMessages(frame);
    const self = this;
    this.nodeLayer.selectAll<SVGGElement, NodeId>("g.node").each(function (id) {
      self.updateNode(d3.select(this), id, frame);
    });
  }

  private updateLinks(snap: ClusterSnapshot): void {
    const h = this.handlers;
    const keys = this.linkKeys;
    this.linkLayer.selectAll<SVGGElement, [NodeId, NodeId]>("g.link").each(function ([a, b]) {
      const ab = snap.blocked.has(`${a}>${b}`);
      const ba = snap.blocked.has(`${b}>${a}`);
      const key = `${ab}${ba}`;
      const id = `${a}-${b}`;
      if (keys.get(id) === key) return;
      keys.set(id, key);
      const cut = ab || ba;
      const g = d3.select(this).attr("class", cut ? "link cut" : "link");
      g.select("line.link-line").attr("stroke", cut ? CUT : "#c9d1db").attr("stroke-width", cut ? 2 : 1.2).attr("stroke-dasharray", cut ? "5 4" : null);
      g.select("text.cut-mark").attr("display", cut ? null : "none");
      const dir = ab && ba ? "cut both ways" : ab ? `cut from ${nodeName(a)} to ${nodeName(b)}` : ba ? `cut from ${nodeName(b)} to ${nodeName(a)}` : "working";
      if (h.onLink) g.attr("aria-label", `Link ${nodeName(a)}–${nodeName(b)}: ${dir}. Enter ${cut ? "heals" : "cuts"} it.`);
    });
  }

  private updateMessages(frame: ClusterFrame): void {
    const lay = this.lay as Layout;
    const inset = lay.nodeR + 9; // outside the timer ring
    const at = (m: FlightMessage, f: number): [number, number] => {
      const p = lay.pos.get(m.from);
      const q = lay.pos.get(m.to);
      if (!p || !q) return [-100, -100];
      const dx = q[0] - p[0];
      const dy = q[1] - p[1];
      const len = Math.hypot(dx, dy) || 1;
      const t = inset / len + f * (1 - (2 * inset) / len);
      return [p[0] + dx * t, p[1] + dy * t];
    };
    const dots: Array<{ m: FlightMessage; xy: [number, number] }> = [];
    for (const m of frame.snap.inFlight.values()) {
      const span = m.deliverAt - m.sentAt;
      const f = span <= 0 ? 1 : Math.max(0, Math.min(1, (frame.now - m.sentAt) / span));
      dots.push({ m, xy: at(m, f) });
    }
    for (const a of frame.arriving ?? []) dots.push({ m: a.m, xy: at(a.m, a.f) });
    const h = this.handlers;
    const sel = frame.selectedMessage;
    this.msgLayer
      .selectAll<SVGGElement, { m: FlightMessage; xy: [number, number] }>("g.msg")
      .data(dots, (d) => String(d.m.msgId))
      .join((enter) => {
        const g = enter.append("g").attr("class", "msg").attr("data-msg", (d) => String(d.m.msgId)).attr("data-type", (d) => d.m.msg.type);
        g.append("circle").attr("class", "msg-dot").attr("r", 6).attr("fill", (d) => typeColor(d.m.msg.type)).attr("stroke", "white").attr("stroke-width", 1.2);
        if (h.onMessage) {
          g.append("circle").attr("class", "msg-hit").attr("r", 13).attr("fill", "transparent");
          g.style("cursor", "pointer").on("click", (ev: Event, d) => {
            ev.stopPropagation();
            h.onMessage?.(d.m.msgId);
          });
        }
        return g;
      })
      .attr("transform", (d) => `translate(${d.xy[0].toFixed(1)},${d.xy[1].toFixed(1)})`)
      .classed("selected", (d) => d.m.msgId === sel)
      .select("circle.msg-dot")
      .attr("stroke", (d) => (d.m.msgId === sel ? INK : "white"))
      .attr("stroke-width", (d) => (d.m.msgId === sel ? 2.5 : 1.2));
  }

  private updateNode(g: d3.Selection<SVGGElement, undefined, null, undefined>, id: NodeId, frame: ClusterFrame): void {
    const lay = this.lay as Layout;
    const n = frame.snap.nodes.get(id);
    const status = n?.status ?? "up";
    const r = role(n?.view);
    const t = term(n?.view);
    const vote = votedFor(n?.view);
    const txns = status === "crashed" ? undefined : transactionStates(n?.view);
    const selected = frame.selectedNode === id;
    const key = `${status}|${r}|${t}|${String(vote)}|${txns}|${selected}`;
    if (this.nodeKeys.get(id) !== key) {
      this.nodeKeys.set(id, key);
      const leader = r?.toLowerCase() === "leader" && status !== "crashed";
      g.attr("class", `node ${status}${r ? ` role-${r.toLowerCase()}` : ""}${selected ? " selected" : ""}`).attr("data-status", status).attr("data-role", r ?? "");
      // A paused server is drawn pale: its fill is worked out as an opaque colour so its name stays readable on it.
      const fill = status === "crashed" ? CRASHED : status === "paused" ? overWhite(roleColor(r), 0.55) : roleColor(r);
      g.select("circle.node-body")
        .attr("fill", fill)
        .attr("stroke", leader ? "#073d2d" : "white")
        .attr("stroke-width", leader ? 3 : 2)
        .attr("stroke-dasharray", status === "paused" ? "4 3" : null);
      g.select("text.node-id").attr("fill", textOn(fill)).attr("data-bg", fill).text(nodeName(id));
      g.select("path.crash-mark").attr("display", status === "crashed" ? null : "none");
      g.select("circle.select-ring").attr("display", selected ? null : "none");
      const [, y] = lay.pos.get(id) as [number, number];
      // Below the node in the bottom half, above it in the top half, clear of the timer ring.
      const below = y >= lay.cy - 1 || this.nodes.length <= 2;
      const labelY = below ? lay.nodeR + 20 : lay.tiny ? -lay.nodeR - 12 : -lay.nodeR - 26;
      const roleText = status === "crashed" ? "crashed" : status === "paused" ? `paused${r && !lay.compact ? ` (${r})` : ""}` : r ?? "";
      const detail: string[] = [];
      if (t !== undefined && status !== "crashed") detail.push(lay.tiny ? `t${t}` : `term ${t}`);
      if (!lay.compact && vote !== undefined && vote !== null && status !== "crashed" && r?.toLowerCase() !== "leader") detail.push(`voted ${typeof vote === "number" ? nodeName(vote) : short(vote, 6)}`);
      if (txns && !lay.compact) detail.push(short(txns, 22));
      if (lay.tiny) {
        g.select("text.node-role").attr("y", labelY).attr("fill", status === "crashed" ? CUT : INK).text([status === "up" ? ROLE_SHORT[r?.toLowerCase() ?? ""] ?? short(r ?? "", 6) : roleText, ...detail].filter(Boolean).join(" "));
        g.select("text.node-term").text("");
      } else {
        g.select("text.node-role").attr("y", labelY).attr("fill", status === "crashed" ? CUT : INK).text(roleText);
        g.select("text.node-term").attr("y", labelY + 14).text(detail.join(" · "));
      }
    }
    // The election timer empties as its timeout approaches; it moves every frame, so it is drawn every frame.
    const timer = status === "up" ? [...(n?.timers.entries() ?? [])].find(([name]) => isElectionTimer(name)) : undefined;
    let d = "";
    if (timer) {
      const { setAt, fireAt } = timer[1];
      const left = fireAt <= setAt ? 0 : Math.max(0, Math.min(1, (fireAt - frame.now) / (fireAt - setAt)));
      d = d3.arc<unknown>()({ innerRadius: lay.nodeR + 2.5, outerRadius: lay.nodeR + 6, startAngle: 0, endAngle: 2 * Math.PI * left }) ?? "";
    }
    if (this.timerPaths.get(id) !== d) {
      this.timerPaths.set(id, d);
      g.select("path.timer-ring").attr("d", d);
    }
  }
}

/** A one-off drawing of the cluster at a step (the home page and tests use it; the player keeps a renderer). */
export function clusterView(events: readonly TraceEvent[], options: ClusterOptions = {}): SVGSVGElement {
  const nodes = options.nodes ?? nodesOf(events);
  const step = options.step ?? (events.length ? (events[events.length - 1] as TraceEvent).step : 0);
  const snap = options.snapshot ?? snapshotAt(events, step, nodes);
  const width = Math.max(240, options.width ?? 480);
  const view = new ClusterRenderer();
  view.layout(nodes, width, options.height ?? Math.round(Math.min(width * 0.72, 380)));
  view.update({ snap, now: options.time ?? snap.time });
  return view.element;
}
