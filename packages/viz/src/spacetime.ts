// Space-time (Lamport) diagram: one lane per server, each message an arrow from its send to its delivery or loss.

import * as d3 from "d3";
import type { NodeId, TraceEvent } from "@course/sim";
import { countThroughStep, labelledNotes, nodesOf } from "./model.js";
import { CHAR_W, fittedAxis } from "./axis.js";
import { CRASHED, CUT, INK, nodeName, roleColor, typeColor } from "./palette.js";
import { TraceIndex, type DownSpan, type MessageRecord, type RoleChange } from "./trace-index.js";

export interface SpaceTimeOptions {
  readonly width?: number;
  readonly step?: number;
  readonly time?: number;
  readonly nodes?: readonly NodeId[];
  /** How many of the latest messages the window shows (default 90). */
  readonly maxArrows?: number;
}

export interface SpaceTimeFrame {
  readonly step: number;
  readonly now: number;
  readonly selectedMessage?: number | undefined;
}

const MARGIN = { top: 24, right: 16, bottom: 28, left: 40 };
/** How many messages before the newest `maxArrows` are checked for still reaching into the window. */
const LOOKBACK = 400;

let markerSerial = 0;

interface Drawn {
  readonly m: MessageRecord;
  readonly d: string;
  readonly cls: string;
  mark: [number, number] | undefined;
}

/** Keeps its SVG and redraws with keyed joins, so a frame moves arrows instead of rebuilding the chart. */
export class SpaceTimeRenderer {
  readonly element: SVGSVGElement;
  private readonly svg: d3.Selection<SVGSVGElement, undefined, null, undefined>;
  private readonly markerId = `st-arrow-${++markerSerial}`;
  private readonly lanes: d3.Selection<SVGGElement, undefined, null, undefined>;
  private readonly bands: d3.Selection<SVGGElement, undefined, null, undefined>;
  private readonly guides: d3.Selection<SVGGElement, undefined, null, undefined>;
  private readonly arrows: d3.Selection<SVGGElement, undefined, null, undefined>;
  private readonly dots: d3.Selection<SVGGElement, undefined, null, undefined>;
  private readonly nowLine: d3.Selection<SVGLineElement, undefined, null, undefined>;
  private readonly axis: d3.Selection<SVGGElement, undefined, null, undefined>;
  private width = 0;
  private height = 0;
  private laneY = new Map<NodeId, number>();
  private index: TraceIndex | undefined;
  private notes: ReturnType<typeof labelledNotes> = [];

  constructor(private readonly onMessage?: (msgId: number) => void, private readonly maxArrows = 90) {
    this.svg = d3.create("svg").attr("class", "chart space-time").attr("role", "img").attr("aria-label", "Space-time diagram: one lane per server, one arrow per message");
    this.element = this.svg.node() as SVGSVGElement;
    const defs = this.svg.append("defs");
    defs.append("marker").attr("id", this.markerId).attr("viewBox", "0 0 10 10").attr("refX", 9).attr("refY", 5).attr("markerWidth", 6).attr("markerHeight", 6).attr("orient", "auto-start-reverse")
      .append("path").attr("d", "M0,0L10,5L0,10z").attr("fill", "context-stroke");
    this.lanes = this.svg.append("g").attr("class", "lanes");
    this.bands = this.svg.append("g").attr("class", "bands");
    this.guides = this.svg.append("g").attr("class", "guides");
    this.arrows = this.svg.append("g").attr("class", "arrows");
    this.dots = this.svg.append("g").attr("class", "role-dots");
    this.nowLine = this.svg.append("line").attr("class", "now-line").attr("stroke", INK).attr("stroke-width", 1);
    this.axis = this.svg.append("g").attr("class", "axis");
  }

  /** A new trace (or fork): what the chart looks up per frame. */
  setTrace(index: TraceIndex): void {
    this.index = index;
    this.notes = labelledNotes(index.events);
  }

  layout(nodes: readonly NodeId[], width: number): void {
    width = Math.max(260, Math.round(width));
    const laneH = nodes.length > 6 ? 26 : 34;
    const height = MARGIN.top + MARGIN.bottom + laneH * Math.max(1, nodes.length - 1) + 8;
    if (width === this.width && height === this.height && nodes.every((n) => this.laneY.has(n)) && nodes.length === this.laneY.size) return;
    this.width = width;
    this.height = height;
    this.laneY = new Map(nodes.map((id, i) => [id, MARGIN.top + i * laneH]));
    this.svg.attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height);
    this.lanes.selectAll("*").remove();
    for (const id of nodes) {
      const y = this.laneY.get(id) as number;
      this.lanes.append("line").attr("class", "lane").attr("x1", MARGIN.left).attr("x2", width - MARGIN.right).attr("y1", y).attr("y2", y).attr("stroke", "#c9d1db");
      this.lanes.append("text").attr("class", "lane-label").attr("x", 4).attr("y", y + 4).attr("font-size", 12).attr("font-weight", 600).attr("fill", INK).attr("data-bg", "#ffffff").text(nodeName(id));
    }
    this.nowLine.attr("y1", MARGIN.top - 8).attr("y2", height - MARGIN.bottom + 4);
  }

  update(frame: SpaceTimeFrame): void {
    const index = this.index;
    if (!index || this.width === 0) return;
    const { step, now } = frame;
    const sent = index.sentThrough(step);
    const first = Math.max(0, sent - this.maxArrows);
    const oldest = index.messages[first]?.sentAt;
    const windowMs = Math.max(60, oldest === undefined || first >= sent ? now : now - oldest + 5);
    const t1 = Math.max(now, 1);
    const t0 = Math.max(0, t1 - windowMs);
    const x = d3.scaleLinear().domain([t0, t1 + (t1 - t0) * 0.02]).range([MARGIN.left, this.width - MARGIN.right]);
    this.svg.attr("data-t0", String(t0)).attr("data-t1", String(t1));

    // Arrows for the latest messages, each as it stood at `step`.
    const drawn: Drawn[] = [];
    // Older messages still on the wire (or arriving) inside the window are drawn too: look back a while.
    for (let i = Math.max(0, first - LOOKBACK); i < sent; i++) {
      const m = index.messages[i] as MessageRecord;
      const y1 = this.laneY.get(m.from);
      const y2 = this.laneY.get(m.to);
      if (y1 === undefined || y2 === undefined) continue;
      const fate = index.fateAt(m, step);
      if (i < first && (fate === "in-flight" ? now : Math.max(m.sentAt, m.endAt as number)) < t0) continue;
      const x1 = x(m.sentAt);
      if (fate === "in-flight") {
        const span = m.deliverAt - m.sentAt;
        const f = span <= 0 ? 1 : Math.max(0, Math.min(1, (now - m.sentAt) / span));
        drawn.push({ m, d: `M${x1},${y1}L${x(m.sentAt + f * span)},${y1 + (y2 - y1) * f}`, cls: "msg-arrow in-flight", mark: undefined });
      } else if (fate === "delivered") {
        drawn.push({ m, d: `M${x1},${y1}L${x(m.endAt as number)},${y2}`, cls: "msg-arrow", mark: undefined });
      } else {
        // Lost: the arrow stops just short of the receiver's lane, where it would have arrived, with a cross there.
        const endT = (m.endAt as number) > m.sentAt ? (m.endAt as number) : m.deliverAt;
        const yEnd = y2 - Math.sign(y2 - y1) * 8;
        const xEnd = x(endT);
        drawn.push({ m, d: `M${x1},${y1}L${xEnd},${yEnd}`, cls: "msg-drop", mark: [xEnd, yEnd] });
      }
    }
    // Losses at one spot on a lane share one cross (several messages to a dead server arrive together).
    const lastMark = new Map<number, number>();
    const marks = drawn.filter((d) => d.mark).sort((a, b) => (a.mark as [number, number])[0] - (b.mark as [number, number])[0]);
    for (const d of marks) {
      const [mx, my] = d.mark as [number, number];
      const prev = lastMark.get(my);
      if (prev !== undefined && mx - prev < 12) d.mark = undefined;
      else lastMark.set(my, mx);
    }
    const sel = frame.selectedMessage;
    const marker = `url(#${this.markerId})`;
    const onMessage = this.onMessage;
    // Joined by position, not by message: a seek reuses the drawn arrows instead of building new ones.
    this.arrows
      .selectAll<SVGGElement, Drawn>("g.arrow")
      .data(drawn)
      .join((enter) => {
        const g = enter.append("g").attr("class", "arrow");
        g.append("path").attr("class", "line").attr("fill", "none");
        g.append("text").attr("class", "drop-mark").attr("text-anchor", "middle").attr("font-size", 12).attr("font-weight", 700).attr("fill", CUT).attr("data-bg", "#ffffff").text("✕");
        if (onMessage) {
          g.append("path").attr("class", "hover-hit").attr("fill", "none").attr("stroke", "transparent").attr("stroke-width", 10);
          g.style("cursor", "pointer").on("click", (_ev, d) => onMessage(d.m.id));
        }
        return g;
      })
      .each(function (d) {
        // While playing every arrow moves each frame: only its path is rewritten unless what it shows changed.
        const node = this as SVGGElement & { drawnKey?: string };
        const g = d3.select(node);
        const chosen = d.m.id === sel;
        const key = `${d.m.id}|${d.cls}|${chosen}|${d.mark ? `${d.mark[0].toFixed(1)},${d.mark[1]}` : ""}`;
        g.select("path.line").attr("d", d.d);
        g.select("path.hover-hit").attr("d", d.d);
        if (node.drawnKey === key) return;
        node.drawnKey = key;
        g.attr("data-msg", String(d.m.id));
        g.select("path.line")
          .attr("class", `line ${d.cls}${d.m.copyOf !== undefined ? " dup" : ""}`)
          .attr("stroke", typeColor(d.m.type))
          .attr("stroke-width", chosen ? 3.2 : 1.6)
          .attr("stroke-dasharray", d.cls === "msg-drop" ? "3 3" : d.m.copyOf !== undefined ? "6 2 1 2" : null)
          .attr("marker-end", d.cls === "msg-arrow" ? marker : null);
        g.select("text.drop-mark").attr("display", d.mark ? null : "none").attr("x", d.mark?.[0] ?? 0).attr("y", (d.mark?.[1] ?? 0) + 4);
      });

    // Crashed and paused stretches, clipped to the window and to what has happened by `step`.
    const bands = index.downSpans.filter((s) => s.fromStep <= step).map((s) => ({ s, a: Math.max(t0, s.from), b: Math.min(t1, s.toStep !== undefined && s.toStep <= step ? (s.to as number) : now) })).filter((d) => d.b >= d.a && this.laneY.has(d.s.node));
    this.bands
      .selectAll<SVGRectElement, { s: DownSpan; a: number; b: number }>("rect")
      .data(bands)
      .join("rect")
      .attr("class", (d) => `down-band ${d.s.kind}`)
      .attr("x", (d) => x(d.a))
      .attr("width", (d) => Math.max(2, x(d.b) - x(d.a)))
      .attr("y", (d) => (this.laneY.get(d.s.node) as number) - 6)
      .attr("height", 12)
      .attr("fill", (d) => (d.s.kind === "crashed" ? CRASHED : "#9aa5b1"))
      .attr("opacity", 0.35);

    // Role changes as dots on the lanes.
    const roles = roleChangesIn(index.roleChanges, step, t0).filter((r) => this.laneY.has(r.node));
    this.dots
      .selectAll<SVGCircleElement, RoleChange>("circle")
      .data(roles)
      .join("circle")
      .attr("class", "role-dot")
      .attr("cx", (d) => x(d.time))
      .attr("cy", (d) => this.laneY.get(d.node) as number)
      .attr("r", 4.5)
      .attr("fill", (d) => roleColor(d.role))
      .attr("stroke", "white");

    // Labelled points of the story: a guide each; a label only where it fits beside the previous one.
    const notes = this.notes.filter((n) => n.step <= step && n.time >= t0);
    let labelEnd = -Infinity;
    const placed = notes.map((n) => {
      const xx = x(n.time);
      const w = n.label.length * CHAR_W;
      const lx = Math.min(xx + 2, this.width - 2 - w);
      const show = lx >= labelEnd && lx >= 0;
      if (show) labelEnd = lx + w + 6;
      return { n, xx, lx, show };
    });
    const g = this.guides.selectAll<SVGGElement, (typeof placed)[number]>("g.note").data(placed, (d) => d.n.label).join((enter) => {
      const e = enter.append("g").attr("class", "note");
      e.append("line").attr("stroke", "#8e7cc3").attr("stroke-dasharray", "2 3");
      e.append("text").attr("font-size", 10).attr("fill", "#6a4c93").attr("data-bg", "#ffffff");
      return e;
    });
    g.select("line").attr("x1", (d) => d.xx).attr("x2", (d) => d.xx).attr("y1", MARGIN.top - 12).attr("y2", this.height - MARGIN.bottom);
    g.select("text").attr("x", (d) => d.lx).attr("y", MARGIN.top - 14).text((d) => (d.show ? d.n.label : ""));

    this.nowLine.attr("x1", x(now)).attr("x2", x(now));
    this.axis.attr("transform", `translate(0,${this.height - MARGIN.bottom + 6})`).call(fittedAxis(x, this.width));
  }
}

/** Role changes up to `step` that fall inside the window (both lists are in time order). */
function roleChangesIn(all: readonly RoleChange[], step: number, t0: number): RoleChange[] {
  const end = countThroughStep(all, step);
  const out: RoleChange[] = [];
  for (let i = end - 1; i >= 0 && (all[i] as RoleChange).time >= t0; i--) out.push(all[i] as RoleChange);
  return out.reverse();
}

/** A one-off space-time diagram up to a step (the home page and tests use it; the player keeps a renderer). */
export function spaceTime(events: readonly TraceEvent[], options: SpaceTimeOptions = {}): SVGSVGElement {
  const nodes = options.nodes ?? nodesOf(events);
  const step = options.step ?? (events.length ? (events[events.length - 1] as TraceEvent).step : 0);
  const index = new TraceIndex(events);
  const r = new SpaceTimeRenderer(undefined, options.maxArrows ?? 90);
  r.setTrace(index);
  r.layout(nodes, options.width ?? 640);
  let time = options.time;
  if (time === undefined) {
    let t = 0;
    for (const e of events) {
      if (e.step > step) break;
      t = e.time;
    }
    time = t;
  }
  r.update({ step, now: time });
  return r.element;
}
