// Log grid: each node's log by index and term, its commit index, and the leader's nextIndex/matchIndex per follower.

import * as d3 from "d3";
import type { NodeId, TraceEvent } from "@course/sim";
import { nodesOf, snapshotAt, type ClusterSnapshot } from "./model.js";
import { CRASHED, INK, INK_FAINT, nodeName, overWhite, termColor, textOn } from "./palette.js";
import { commitIndex, indexMap, logCells, logOffset, role, type LogCell } from "./views.js";

export interface LogGridOptions {
  readonly width?: number;
  readonly step?: number;
  readonly nodes?: readonly NodeId[];
  readonly snapshot?: ClusterSnapshot;
}

/** True when some node's view in the trace carries a log (so the page knows whether to show the grid). */
export function traceHasLogs(events: readonly TraceEvent[]): boolean {
  for (const e of events) if (e.kind === "state" && logCells(e.view) !== undefined) return true;
  return false;
}

export function logGrid(events: readonly TraceEvent[], options: LogGridOptions = {}): SVGSVGElement {
  const nodes = options.nodes ?? nodesOf(events);
  const step = options.step ?? (events.length ? (events[events.length - 1] as TraceEvent).step : 0);
  const snap = options.snapshot ?? snapshotAt(events, step, nodes);
  const width = Math.max(240, options.width ?? 560);
  const rows = nodes.map((id) => {
    const n = snap.nodes.get(id);
    const view = n?.status === "crashed" ? undefined : n?.view;
    return { id, status: n?.status ?? "up", view, cells: logCells(view) ?? [], commit: commitIndex(view), offset: logOffset(view), role: role(view) };
  });
  const leader = rows.find((r) => r.role?.toLowerCase() === "leader" && r.status === "up");
  const nextIdx = leader ? indexMap(leader.view, "nextIndex") : new Map<number, number>();
  const matchIdx = leader ? indexMap(leader.view, "matchIndex") : new Map<number, number>();

  const labelW = 44;
  const rowH = 30;
  const top = 22;
  const maxIndex = Math.max(1, ...rows.flatMap((r) => r.cells.map((c) => c.index)), ...[...nextIdx.values()]);
  const cellW = 30;
  const fit = Math.max(3, Math.floor((width - labelW - 10) / cellW));
  // Show the newest indices that fit; older ones scroll off to the left (they are committed history).
  const lowest = Math.min(1, ...rows.flatMap((r) => r.cells.map((c) => c.index)));
  const firstIndex = Math.max(lowest, maxIndex - fit + 1);
  const lastIndex = firstIndex + fit - 1;
  const height = top + rows.length * rowH + 8;
  const x = (index: number) => labelW + (index - firstIndex) * cellW;

  const svg = d3.create("svg").attr("class", "chart log-grid").attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height).attr("role", "img").attr("aria-label", "Log grid")
    .attr("data-first-index", String(firstIndex)).attr("data-last-index", String(lastIndex));
  const header = svg.append("g").attr("class", "index-header");
  for (let i = firstIndex; i <= Math.min(lastIndex, maxIndex); i++) {
    header.append("text").attr("x", x(i) + cellW / 2).attr("y", 14).attr("text-anchor", "middle").attr("font-size", 10).attr("fill", INK_FAINT).attr("data-bg", "#ffffff").text(i);
  }
  rows.forEach((r, ri) => {
    const y = top + ri * rowH;
    const g = svg.append("g").attr("class", "log-row").attr("data-node", String(r.id));
    g.append("text").attr("x", 4).attr("y", y + rowH / 2 + 4).attr("font-size", 12).attr("font-weight", r === leader ? 800 : 600)
      .attr("fill", r.status === "crashed" ? CRASHED : INK).attr("data-bg", "#ffffff").text(`${nodeName(r.id)}${r === leader ? "★" : ""}`);
    if (r.status === "crashed") {
      g.append("text").attr("x", labelW + 4).attr("y", y + rowH / 2 + 4).attr("font-size", 11).attr("fill", INK_FAINT).attr("data-bg", "#ffffff").text(width >= 420 ? "crashed: its log is on disk, unseen until restart" : "crashed");
      return;
    }
    if (r.offset >= firstIndex) {
      g.append("rect").attr("class", "snapshot-cell").attr("x", labelW).attr("y", y + 3).attr("width", Math.max(0, x(r.offset + 1) - labelW - 2)).attr("height", rowH - 6).attr("fill", "#e9edf2").attr("rx", 3);
      if (x(r.offset + 1) - labelW - 2 >= 50) g.append("text").attr("x", labelW + 4).attr("y", y + rowH / 2 + 4).attr("font-size", 10).attr("fill", INK_FAINT).attr("data-bg", "#e9edf2").text("snapshot");
    }
    for (const c of r.cells as LogCell[]) {
      if (c.index < firstIndex || c.index > lastIndex) continue;
      const committed = c.chosen ?? (r.commit !== undefined && c.index <= r.commit);
      const info = `${nodeName(r.id)}, index ${c.index}${c.term === undefined ? "" : `, term ${c.term}`}${c.label ? `: ${c.label}` : ""}${committed ? " (committed)" : " (not committed)"}`;
      const cell = g.append("g").attr("class", `log-cell${committed ? " committed" : ""}`).attr("data-index", String(c.index)).attr("data-term", c.term === undefined ? "" : String(c.term)).attr("data-info", info);
      const base = c.term === undefined ? (committed ? "#4f6d8c" : "#c9d3de") : termColor(c.term);
      // Uncommitted cells are a pale tint of the term's colour: computed as an opaque colour so the text on it is checked.
      const fill = committed || c.term === undefined ? base : overWhite(base, 0.35);
      cell.append("rect").attr("x", x(c.index) + 1).attr("y", y + 3).attr("width", cellW - 2).attr("height", rowH - 6).attr("rx", 3)
        .attr("fill", fill)
        .attr("stroke", committed ? INK : base).attr("stroke-width", committed ? 1.2 : 1).attr("stroke-dasharray", committed ? null : "3 2");
      cell.append("text").attr("x", x(c.index) + cellW / 2).attr("y", y + rowH / 2 + 4).attr("text-anchor", "middle").attr("font-size", c.term === undefined && c.label.length > 3 ? 9 : 11).attr("font-weight", 700)
        .attr("fill", textOn(fill)).attr("data-bg", fill).text(c.term === undefined ? (c.label === "no-op" ? "∅" : c.label.slice(0, 4)) : String(c.term));
      cell.append("title").text(info);
    }
    if (r.commit !== undefined && r.commit >= firstIndex - 1 && r.commit <= lastIndex) {
      const cx = x(r.commit + 1) - 1;
      g.append("line").attr("class", "commit-marker").attr("x1", cx).attr("x2", cx).attr("y1", y + 1).attr("y2", y + rowH - 1).attr("stroke", "#1b9e77").attr("stroke-width", 2.5)
        .append("title").text(`commitIndex ${r.commit}`);
    }
    if (leader && r !== leader) {
      const ni = nextIdx.get(r.id);
      if (ni !== undefined && ni >= firstIndex && ni <= lastIndex + 1) {
        const nx = x(ni) + cellW / 2;
        g.append("path").attr("class", "next-index").attr("d", `M${nx - 5},${y + 1}L${nx + 5},${y + 1}L${nx},${y + 7}z`).attr("fill", "#c55a8a")
          .append("title").text(`leader's nextIndex for ${nodeName(r.id)}: ${ni}`);
      }
      const mi = matchIdx.get(r.id);
      if (mi !== undefined && mi >= firstIndex) {
        g.append("line").attr("class", "match-index").attr("x1", x(firstIndex) + 1).attr("x2", x(Math.min(mi, lastIndex) + 1) - 1).attr("y1", y + rowH - 1).attr("y2", y + rowH - 1).attr("stroke", "#c55a8a").attr("stroke-width", 2)
          .append("title").text(`leader's matchIndex for ${nodeName(r.id)}: ${mi}`);
      }
    }
  });
  if (rows.every((r) => r.cells.length === 0)) {
    svg.append("text").attr("class", "empty-note").attr("x", labelW + 14).attr("y", top + (rows.length * rowH) / 2 + 4).attr("font-size", 12).attr("fill", INK_FAINT).attr("data-bg", "#ffffff").text("No entries yet: every log is empty.");
  }
  return svg.node() as SVGSVGElement;
}
