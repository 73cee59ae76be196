// Membership: which configuration each server uses (voting members and learners), read from each server's own view.

import * as d3 from "d3";
import type { NodeId, TraceEvent } from "@course/sim";
import type { ClusterSnapshot } from "./model.js";
import { INK, INK_FAINT, nodeName, roleColor } from "./palette.js";
import { asObj } from "./views.js";

type Obj = Record<string, unknown>;
const ids = (v: unknown): NodeId[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === "number") ? (v as NodeId[]) : undefined);

/** The configuration a server's view says it uses: voting members and (when the view has the field) learners. */
export function configOf(view: unknown): { members: NodeId[]; learners: NodeId[] | undefined } | undefined {
  const o = asObj(view);
  const members = ids(o?.members);
  if (!members) return undefined;
  return { members, learners: ids(o?.learners) };
}

/** True when membership is part of the story: some server uses a configuration other than "everyone", or has learners. */
export function traceHasMembership(events: readonly TraceEvent[], nodes: readonly NodeId[]): boolean {
  const all = [...nodes].sort((a, b) => a - b).join(",");
  for (const e of events) {
    if (e.kind !== "state") continue;
    const c = configOf(e.view);
    if (c && ([...c.members].sort((a, b) => a - b).join(",") !== all || (c.learners?.length ?? 0) > 0)) return true;
  }
  return false;
}

/** A grid: one row per server (the configuration it uses), one column per server it could name. */
export function configGrid(snap: ClusterSnapshot, nodes: readonly NodeId[], options: { width?: number } = {}): SVGSVGElement {
  const width = Math.max(240, options.width ?? 480);
  const labelW = 64;
  const colW = Math.min(44, Math.max(28, (width - labelW - 16) / Math.max(1, nodes.length)));
  const rowH = 26;
  const top = 22;
  const legendH = 22;
  const height = top + nodes.length * rowH + legendH + 8;
  const svg = d3.create("svg").attr("class", "chart config-grid").attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height).attr("role", "img")
    .attr("aria-label", "Configuration each server uses: voting members and learners");
  nodes.forEach((id, i) => {
    svg.append("text").attr("x", labelW + i * colW + colW / 2).attr("y", 14).attr("text-anchor", "middle").attr("font-size", 11).attr("fill", INK_FAINT).attr("data-bg", "#ffffff").text(nodeName(id));
  });
  nodes.forEach((id, r) => {
    const n = snap.nodes.get(id);
    const y = top + r * rowH;
    const cfg = n?.status === "crashed" ? undefined : configOf(n?.view);
    const row = svg.append("g").attr("class", "config-row").attr("data-node", String(id))
      .attr("data-members", cfg ? cfg.members.join(",") : "").attr("data-learners", cfg?.learners ? cfg.learners.join(",") : "");
    row.append("text").attr("x", 4).attr("y", y + rowH / 2 + 4).attr("font-size", 12).attr("font-weight", 600).attr("fill", INK).attr("data-bg", "#ffffff").text(nodeName(id));
    if (!cfg) {
      row.append("text").attr("x", labelW).attr("y", y + rowH / 2 + 4).attr("font-size", 11).attr("fill", INK_FAINT).attr("data-bg", "#ffffff").text(n?.status === "crashed" ? "crashed" : "no configuration yet");
      return;
    }
    row.attr("data-info", `${nodeName(id)} uses members ${cfg.members.map(nodeName).join(" ") || "none"}${cfg.learners ? `; learners ${cfg.learners.map(nodeName).join(" ") || "none"}` : ""}`);
    nodes.forEach((other, c) => {
      const cx = labelW + c * colW + colW / 2;
      const cy = y + rowH / 2;
      if (cfg.members.includes(other)) row.append("circle").attr("class", "member").attr("cx", cx).attr("cy", cy).attr("r", 7).attr("fill", roleColor("follower"));
      else if (cfg.learners?.includes(other)) row.append("circle").attr("class", "learner").attr("cx", cx).attr("cy", cy).attr("r", 6).attr("fill", "white").attr("stroke", roleColor("learner")).attr("stroke-width", 2.5);
      else row.append("circle").attr("class", "outside").attr("cx", cx).attr("cy", cy).attr("r", 2).attr("fill", "#c9d1db");
    });
  });
  const ly = top + nodes.length * rowH + 14;
  const legend = svg.append("g").attr("class", "config-legend");
  legend.append("circle").attr("cx", 10).attr("cy", ly - 4).attr("r", 6).attr("fill", roleColor("follower"));
  legend.append("text").attr("x", 20).attr("y", ly).attr("font-size", 11).attr("fill", INK).attr("data-bg", "#ffffff").text("votes");
  legend.append("circle").attr("cx", 70).attr("cy", ly - 4).attr("r", 5).attr("fill", "white").attr("stroke", roleColor("learner")).attr("stroke-width", 2.5);
  legend.append("text").attr("x", 80).attr("y", ly).attr("font-size", 11).attr("fill", INK).attr("data-bg", "#ffffff").text(width >= 360 ? "learner (copies, no vote)" : "learner");
  return svg.node() as SVGSVGElement;
}
