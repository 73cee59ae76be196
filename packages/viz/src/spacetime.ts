// Space-time (Lamport) diagram: one lane per node, each message an arrow from its send to its delivery or loss.

import * as d3 from "d3";
import type { NodeId, TraceEvent } from "@course/sim";
import { downPeriods, eventsThrough, nodesOf } from "./model.js";
import { CRASHED, CUT, nodeName, roleColor, typeColor } from "./palette.js";
import { role } from "./views.js";

export interface SpaceTimeOptions {
  readonly width?: number;
  readonly step?: number;
  readonly time?: number;
  readonly nodes?: readonly NodeId[];
  /** Milliseconds of history to show; default: enough to show about `maxArrows` messages. */
  readonly windowMs?: number;
  readonly maxArrows?: number;
  readonly laneHeight?: number;
}

interface Arrow {
  id: number;
  from: NodeId;
  to: NodeId;
  type: string;
  body: string;
  sentAt: number;
  endAt: number;
  fate: "delivered" | "dropped" | "in-flight";
  duplicate: boolean;
  reason?: string;
}

let markerSerial = 0;

export function spaceTime(events: readonly TraceEvent[], options: SpaceTimeOptions = {}): SVGSVGElement {
  const nodes = options.nodes ?? nodesOf(events);
  const step = options.step ?? (events.length ? (events[events.length - 1] as TraceEvent).step : 0);
  const end = eventsThrough(events, step);
  const upTo = events.slice(0, end);
  const now = options.time ?? (upTo.length ? (upTo[upTo.length - 1] as TraceEvent).time : 0);
  const width = Math.max(260, options.width ?? 640);
  const laneH = options.laneHeight ?? (nodes.length > 6 ? 26 : 34);
  const margin = { top: 22, right: 14, bottom: 26, left: 38 };
  const height = margin.top + margin.bottom + laneH * Math.max(1, nodes.length - 1) + 8;

  // Collect arrows: a send opens one, delivery/drop closes it; duplicates open a copy.
  const arrows = new Map<number, Arrow>();
  for (const e of upTo) {
    if (e.kind === "send" && e.from !== e.to) {
      arrows.set(e.msgId, { id: e.msgId, from: e.from, to: e.to, type: e.msg.type, body: JSON.stringify(e.msg), sentAt: e.time, endAt: e.deliverAt, fate: "in-flight", duplicate: false });
    } else if (e.kind === "duplicate") {
      const a = arrows.get(e.msgId);
      if (a) arrows.set(e.copyId, { ...a, id: e.copyId, endAt: e.deliverAt, fate: "in-flight", duplicate: true });
    } else if (e.kind === "deliver") {
      const a = arrows.get(e.msgId);
      if (a) {
        a.fate = "delivered";
        a.endAt = e.time;
      }
    } else if (e.kind === "drop") {
      const a = arrows.get(e.msgId);
      if (a) {
        a.fate = "dropped";
        a.reason = e.reason;
        // Lost on the wire: show where it would have arrived; lost at a dead node: where it died.
        if (e.time > a.sentAt) a.endAt = e.time;
      }
    }
  }
  const all = [...arrows.values()];
  let windowMs = options.windowMs;
  if (windowMs === undefined) {
    const maxArrows = options.maxArrows ?? 90;
    const sends = all.map((a) => a.sentAt).sort((a, b) => b - a);
    const oldest = sends[Math.min(maxArrows, sends.length) - 1];
    windowMs = Math.max(60, oldest === undefined ? now : now - oldest + 5);
  }
  const t1 = Math.max(now, 1);
  const t0 = Math.max(0, t1 - windowMs);
  const x = d3.scaleLinear().domain([t0, t1 + (t1 - t0) * 0.02]).range([margin.left, width - margin.right]);
  const laneY = new Map<NodeId, number>(nodes.map((id, i) => [id, margin.top + i * laneH]));
  const visible = all.filter((a) => Math.max(a.endAt, a.sentAt) >= t0 && a.sentAt <= t1);

  const svg = d3
    .create("svg")
    .attr("class", "chart space-time")
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("width", width)
    .attr("height", height)
    .attr("role", "img")
    .attr("aria-label", "Space-time diagram")
    .attr("data-t0", String(t0))
    .attr("data-t1", String(t1));
  const markerId = `st-arrow-${++markerSerial}`;
  svg.append("defs").append("marker")
    .attr("id", markerId).attr("viewBox", "0 0 10 10").attr("refX", 9).attr("refY", 5)
    .attr("markerWidth", 6).attr("markerHeight", 6).attr("orient", "auto-start-reverse")
    .append("path").attr("d", "M0,0L10,5L0,10z").attr("fill", "context-stroke");

  // Lanes, with crash/pause periods shaded and role changes dotted.
  const lanes = svg.append("g").attr("class", "lanes");
  for (const id of nodes) {
    const y = laneY.get(id) as number;
    lanes.append("line").attr("class", "lane").attr("x1", margin.left).attr("x2", width - margin.right).attr("y1", y).attr("y2", y).attr("stroke", "#c9d1db");
    lanes.append("text").attr("x", 4).attr("y", y + 4).attr("font-size", 12).attr("font-weight", 600).attr("fill", "#33404d").text(nodeName(id));
  }
  for (const p of downPeriods(upTo)) {
    const y = laneY.get(p.node);
    if (y === undefined) continue;
    const a = Math.max(t0, p.from);
    const b = Math.min(t1, p.to ?? t1);
    if (b < a) continue;
    lanes.append("rect").attr("class", `down-band ${p.kind}`).attr("x", x(a)).attr("width", Math.max(2, x(b) - x(a))).attr("y", y - 6).attr("height", 12)
      .attr("fill", p.kind === "crashed" ? CRASHED : "#9aa5b1").attr("opacity", 0.35)
      .append("title").text(`${nodeName(p.node)} ${p.kind}`);
  }
  const lastRole = new Map<NodeId, string | undefined>();
  for (const e of upTo) {
    if (e.kind !== "state") continue;
    const r = role(e.view);
    if (r === lastRole.get(e.node)) continue;
    lastRole.set(e.node, r);
    if (e.time < t0 || r === undefined) continue;
    const y = laneY.get(e.node);
    if (y === undefined) continue;
    lanes.append("circle").attr("class", "role-dot").attr("cx", x(e.time)).attr("cy", y).attr("r", 4.5).attr("fill", roleColor(r)).attr("stroke", "white")
      .append("title").text(`${nodeName(e.node)} becomes ${r} at ${Math.round(e.time)} ms`);
  }

  // Labelled notes: thin vertical guides; a label that would overlap the previous one is left off (its guide keeps a title).
  let labelEnd = -Infinity;
  for (const e of upTo) {
    if (e.kind !== "note" || e.label === undefined || e.time < t0) continue;
    const xx = x(e.time);
    svg.append("line").attr("class", "note-guide").attr("x1", xx).attr("x2", xx).attr("y1", margin.top - 14).attr("y2", height - margin.bottom).attr("stroke", "#8e7cc3").attr("stroke-dasharray", "2 3")
      .append("title").text(`${e.label}: ${e.text}`);
    if (xx < labelEnd) continue;
    svg.append("text").attr("x", xx + 2).attr("y", margin.top - 12).attr("font-size", 10).attr("fill", "#6a4c93").text(e.label);
    labelEnd = xx + 6 * e.label.length + 6;
  }

  const arrowLayer = svg.append("g").attr("class", "arrows");
  for (const a of visible) {
    const y1 = laneY.get(a.from);
    const y2 = laneY.get(a.to);
    if (y1 === undefined || y2 === undefined) continue;
    const endT = a.fate === "in-flight" ? Math.min(now, a.endAt) : a.endAt;
    const frac = a.endAt === a.sentAt ? 1 : (endT - a.sentAt) / (a.endAt - a.sentAt);
    const x1 = x(a.sentAt);
    const x2 = x(endT);
    const yEnd = a.fate === "dropped" && a.reason !== "crashed" ? y1 + (y2 - y1) * 0.6 : y1 + (y2 - y1) * (a.fate === "in-flight" ? frac : 1);
    const xEnd = a.fate === "dropped" && a.reason !== "crashed" ? x1 + (x(a.endAt) - x1) * 0.6 : x2;
    const cls = a.fate === "dropped" ? "msg-drop" : a.fate === "in-flight" ? "msg-arrow in-flight" : "msg-arrow";
    const color = typeColor(a.type);
    const path = arrowLayer.append("path")
      .attr("class", `${cls}${a.duplicate ? " dup" : ""}`)
      .attr("d", `M${x1},${y1}L${xEnd},${yEnd}`)
      .attr("stroke", color)
      .attr("stroke-width", 1.6)
      .attr("fill", "none")
      .attr("stroke-dasharray", a.fate === "dropped" ? "3 3" : a.duplicate ? "6 2 1 2" : null)
      .attr("marker-end", a.fate === "delivered" ? `url(#${markerId})` : null);
    path.append("title").text(`${a.type} ${nodeName(a.from)}→${nodeName(a.to)}${a.duplicate ? " (duplicate)" : ""}, sent ${Math.round(a.sentAt)} ms, ${a.fate}${a.reason ? ` (${a.reason})` : ""}\n${a.body}`);
    // A wide invisible twin makes the hover target easy to hit.
    arrowLayer.append("path").attr("class", "hover-hit").attr("d", `M${x1},${y1}L${xEnd},${yEnd}`).attr("stroke", "transparent").attr("stroke-width", 8).attr("fill", "none")
      .append("title").text(`${a.type} ${nodeName(a.from)}→${nodeName(a.to)}: ${a.body}`);
    if (a.fate === "dropped") {
      arrowLayer.append("text").attr("class", "drop-mark").attr("x", xEnd).attr("y", yEnd + 4).attr("text-anchor", "middle").attr("font-size", 12).attr("font-weight", 700).attr("fill", CUT).text("✕");
    }
  }
  svg.append("line").attr("class", "now-line").attr("x1", x(now)).attr("x2", x(now)).attr("y1", margin.top - 8).attr("y2", height - margin.bottom + 4).attr("stroke", "#33404d").attr("stroke-width", 1);
  svg.append("g").attr("transform", `translate(0,${height - margin.bottom + 6})`).attr("class", "axis")
    .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 110))).tickFormat((d) => `${d} ms`).tickSizeOuter(0));
  return svg.node() as SVGSVGElement;
}
