// Turns a scenario's trace into terminal narration: headings, notes, the scenario's own message lines, a result line.

import pc from "picocolors";
import type { TraceEvent } from "@course/sim";

export interface NarrationLine {
  readonly kind: "heading" | "note" | "event" | "result" | "violation";
  readonly text: string;
  /** Virtual time, for the left margin. */
  readonly time: number;
  /** The simulator step the line belongs to: a jump to a label shows every line of the label's step. */
  readonly step: number;
  readonly label?: string;
}

/** Picks the events worth a line: every note, every violation, and whatever the scenario's describe() speaks for. */
export function narrationLines(events: readonly TraceEvent[], describe?: (e: TraceEvent) => string | undefined): NarrationLine[] {
  const out: NarrationLine[] = [];
  for (const e of events) {
    if (e.kind === "note") {
      const kind = e.style === "heading" ? "heading" : e.style === "result" ? "result" : "note";
      out.push(e.label === undefined ? { kind, text: e.text, time: e.time, step: e.step } : { kind, text: e.text, time: e.time, step: e.step, label: e.label });
    } else if (e.kind === "violation") {
      out.push({ kind: "violation", text: `${e.checker}: ${e.message}`, time: e.time, step: e.step });
    } else if (describe) {
      const text = describe(e);
      if (text !== undefined) out.push({ kind: "event", text, time: e.time, step: e.step });
    }
  }
  return out;
}

/** Said at the start of a scenario whose cluster is not five nodes, the size every other run uses. */
export function clusterAnnouncement(nodes: number): string | undefined {
  if (nodes === 5) return undefined;
  // A majority of n is floor(n/2) + 1: the smallest group that overlaps every other majority.
  const majority = Math.floor(nodes / 2) + 1;
  return `This run has ${nodes} nodes, not five: a majority is ${majority} of ${nodes}.`;
}

const RULE_WIDTH = 72;
/** "  1234.5 ms  ": the time column every timed line starts with. */
const TIME_WIDTH = 13;

/**
 * Splits `text` into lines of at most `width` characters; every line after the first starts with `indent`
 * spaces (a hanging indent). Words longer than a line are cut.
 */
export function wrapText(text: string, width: number, indent: number, firstIndent = indent): string[] {
  const lines: string[] = [];
  let line = "";
  let room = Math.max(1, width - firstIndent);
  const flush = () => {
    lines.push(line);
    line = "";
    room = Math.max(1, width - indent);
  };
  for (let word of text.split(" ")) {
    while (word.length > room && line === "") {
      line = word.slice(0, room);
      word = word.slice(room);
      flush();
    }
    if (line === "") line = word;
    else if (line.length + 1 + word.length <= room) line += ` ${word}`;
    else {
      flush();
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * One narration line for the terminal. With `width` (a TTY's column count) long lines wrap, continuing under the
 * start of the text, right of the time column.
 */
export function formatLine(line: NarrationLine, width = Infinity): string {
  const label = line.label ? `  [${line.label}]` : "";
  if (line.kind === "heading") {
    const parts = wrapText(line.text + label, width, 0);
    return `\n${paintParts(parts, label, (s) => pc.bold(pc.cyan(s))).join("\n")}\n${pc.dim("-".repeat(Math.min(RULE_WIDTH, width)))}`;
  }
  // Event lines sit two columns right of notes; a line's own leading spaces (a lost message) indent it further.
  const lead = (line.kind === "event" ? "  " : "") + (/^ */.exec(line.text)?.[0] ?? "");
  const body = (line.kind === "violation" ? "VIOLATION " : "") + line.text.trimStart() + label;
  const indent = TIME_WIDTH + lead.length;
  const paint = line.kind === "note" ? pc.yellow : line.kind === "result" ? (s: string) => pc.bold(pc.green(s)) : line.kind === "violation" ? (s: string) => pc.bold(pc.red(s)) : (s: string) => s;
  const parts = paintParts(wrapText(body, width, indent), label, paint);
  const time = pc.dim(`${line.time.toFixed(1).padStart(8)} ms  `);
  return `${time}${lead}${parts.map((p, i) => (i === 0 ? p : `${" ".repeat(indent)}${p}`)).join("\n")}`;
}

/** Colors wrapped parts, keeping a trailing `[label]` dim when it ends the last part. */
function paintParts(parts: readonly string[], label: string, paint: (s: string) => string): string[] {
  return parts.map((p, i) => (i === parts.length - 1 && label !== "" && p.endsWith(label) ? `${paint(p.slice(0, p.length - label.length))}${pc.dim(label)}` : paint(p)));
}
