// Turns a scenario's trace into terminal narration: headings, notes, the scenario's own message lines, a result line.

import pc from "picocolors";
import type { TraceEvent } from "@course/sim";

export interface NarrationLine {
  readonly kind: "heading" | "note" | "event" | "result" | "violation";
  readonly text: string;
  /** Virtual time, for the left margin. */
  readonly time: number;
  readonly label?: string;
}

/** Picks the events worth a line: every note, every violation, and whatever the scenario's describe() speaks for. */
export function narrationLines(events: readonly TraceEvent[], describe?: (e: TraceEvent) => string | undefined): NarrationLine[] {
  const out: NarrationLine[] = [];
  for (const e of events) {
    if (e.kind === "note") {
      const kind = e.style === "heading" ? "heading" : e.style === "result" ? "result" : "note";
      out.push(e.label === undefined ? { kind, text: e.text, time: e.time } : { kind, text: e.text, time: e.time, label: e.label });
    } else if (e.kind === "violation") {
      out.push({ kind: "violation", text: `${e.checker}: ${e.message}`, time: e.time });
    } else if (describe) {
      const text = describe(e);
      if (text !== undefined) out.push({ kind: "event", text, time: e.time });
    }
  }
  return out;
}

const RULE = "-".repeat(72);

export function formatLine(line: NarrationLine): string {
  const time = pc.dim(`${line.time.toFixed(1).padStart(8)} ms  `);
  switch (line.kind) {
    case "heading":
      return `\n${pc.bold(pc.cyan(line.text))}${line.label ? pc.dim(`  [${line.label}]`) : ""}\n${pc.dim(RULE)}`;
    case "note":
      return `${time}${pc.yellow(line.text)}${line.label ? pc.dim(`  [${line.label}]`) : ""}`;
    case "event":
      return `${time}  ${line.text}`;
    case "result":
      return `${time}${pc.bold(pc.green(line.text))}`;
    case "violation":
      return `${time}${pc.bold(pc.red(`VIOLATION ${line.text}`))}`;
  }
}
