// Time axes whose tick labels always fit inside their chart.

import * as d3 from "d3";
import { INK_SOFT } from "./palette.js";

/** Rough width of one character of 10-11 px chart text: used to keep labels apart and inside a chart. */
export const CHAR_W = 6.2;

/** A bottom axis in ms whose tick labels all fit inside the chart (a label that would stick out is left off). */
export function fittedAxis(x: d3.ScaleLinear<number, number>, width: number): (g: d3.Selection<SVGGElement, undefined, null, undefined>) => void {
  const fmt = (d: number) => `${d3.format("~r")(d)} ms`;
  const ticks = x.ticks(Math.max(2, Math.floor(width / 110))).filter((t) => {
    const half = (fmt(t).length * CHAR_W) / 2;
    return x(t) - half >= 0 && x(t) + half <= width;
  });
  return (g) => {
    g.call(d3.axisBottom(x).tickValues(ticks).tickFormat((d) => fmt(Number(d))).tickSizeOuter(0));
    g.selectAll("text").attr("fill", INK_SOFT).attr("data-bg", "#ffffff");
  };
}
