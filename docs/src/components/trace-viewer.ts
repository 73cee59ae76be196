// The trace viewer: opens a trace file (from the CLI or a failing graded test) and explores it with the player.

import { parseTrace, serializeTrace, toTraceFile, type TraceFile } from "@course/sim";
import { lessons } from "@course/lessons";
import { createPlayer, type Player } from "@course/viz";
import { historyPanel } from "./history-panel.js";

export interface TraceViewer {
  readonly element: HTMLElement;
  destroy(): void;
}

/** "lesson-3/lost-promise" -> the lesson page link that re-runs it live, when the scenario still exists. */
function liveLink(file: TraceFile): string | undefined {
  const m = /^lesson-(\d+)\/(.+)$/.exec(file.scenario);
  if (!m) return undefined;
  const lesson = lessons.find((l) => l.number === Number(m[1]));
  if (!lesson?.scenarios.some((s) => s.id === m[2])) return undefined;
  const variant = typeof file.options?.variant === "string" ? `&variant=${encodeURIComponent(file.options.variant)}` : "";
  return `./lessons/${m[1]}.html?scenario=${encodeURIComponent(m[2] as string)}&seed=${file.seed}${variant}`;
}

const PROTOCOL_NAMES: Record<string, string> = { raft: "Raft", paxos: "Basic Paxos", "multi-paxos": "Multi-Paxos", "2pc": "two-phase commit" };

/** "lesson-3/lost-promise" -> "Lesson 3: A lost promise: got 2, need 3"; anything else is shown as written. */
function titleOf(file: TraceFile): string {
  const m = /^lesson-(\d+)\/(.+)$/.exec(file.scenario);
  const scenario = m ? lessons.find((l) => l.number === Number(m[1]))?.scenarios.find((s) => s.id === m[2]) : undefined;
  return m && scenario ? `Lesson ${m[1]}: ${scenario.title}` : file.scenario;
}

export function traceViewer(): TraceViewer {
  const root = document.createElement("div");
  root.className = "trace-viewer";
  const form = document.createElement("div");
  form.className = "tool-form";
  const fileLabel = document.createElement("label");
  const input = document.createElement("input");
  input.type = "file";
  input.accept = ".json,application/json";
  input.dataset.control = "trace-file";
  fileLabel.append("Trace file (.json)", input);
  const example = document.createElement("button");
  example.type = "button";
  example.dataset.action = "example-trace";
  example.textContent = "…or open an example trace";
  form.append(fileLabel, example);
  const status = document.createElement("p");
  status.className = "trace-status";
  status.textContent = "No trace loaded yet.";
  const mount = document.createElement("div");
  root.append(form, status, mount);
  let player: Player | undefined;

  function show(file: TraceFile, source: string): void {
    player?.destroy();
    player = createPlayer({ recorded: { title: `${titleOf(file)} (seed ${file.seed})`, summary: `${file.nodes.length} servers${file.protocol ? `, ${PROTOCOL_NAMES[file.protocol] ?? file.protocol}` : ""}, from ${source}.`, seed: file.seed, nodes: file.nodes, events: file.events } });
    mount.replaceChildren(player.element);
    const history = historyPanel(file as TraceFile & { history?: unknown }, Math.min(960, mount.clientWidth || 640));
    if (history) mount.append(history);
    const link = liveLink(file);
    status.replaceChildren(`Loaded ${source}.`);
    if (link) {
      const a = document.createElement("a");
      a.href = link;
      a.textContent = "Run this scenario live on its lesson page";
      status.append(" ", a, ".");
    }
  }

  function fail(message: string): void {
    player?.destroy();
    player = undefined;
    mount.replaceChildren();
    status.className = "trace-status tool-error";
    status.textContent = message;
  }

  input.addEventListener("change", async () => {
    const f = input.files?.[0];
    if (!f) return;
    status.className = "trace-status";
    try {
      show(parseTrace(await f.text()), f.name);
    } catch (e) {
      fail(`Could not open ${f.name}: ${(e as Error).message}`);
    }
  });

  example.addEventListener("click", () => {
    status.className = "trace-status";
    const lesson = lessons.find((l) => l.scenarios.length > 0);
    const scenario = lesson?.scenarios[0];
    if (!lesson || !scenario) return fail("No lesson scenario exists yet to make an example trace from.");
    // Written and read back through the trace-file format, exactly like a file from the terminal.
    const run = scenario.run({ seed: scenario.defaultSeed });
    const text = serializeTrace(toTraceFile(run.sim, `lesson-${lesson.number}/${scenario.id}`, { protocol: scenario.protocol }));
    show(parseTrace(text), `an example run of lesson ${lesson.number}, "${scenario.title}"`);
  });

  return { element: root, destroy: () => player?.destroy() };
}
