// The client history a trace file may carry ({model, operations} in its `history` field): checked here and drawn as a history chart.

import { checkLinearizable, readRecordedHistory } from "@course/check";
import { historyChart } from "@course/viz";

/** How long the page lets the checker search before it shows "undecided" (ms of the reader's clock). */
const TIME_LIMIT_MS = 3000;

/** A section for the trace's client history, or undefined when the trace carries none. */
export function historyPanel(file: { readonly history?: unknown }, width: number): HTMLElement | undefined {
  if (file.history === undefined) return undefined;
  const section = document.createElement("section");
  section.className = "history-panel";
  const heading = document.createElement("h2");
  heading.textContent = "Client history";
  const verdict = document.createElement("p");
  section.append(heading, verdict);
  try {
    const { model, operations, clients } = readRecordedHistory(file.history);
    const result = checkLinearizable(model, operations, { timeLimitMs: TIME_LIMIT_MS, clock: () => performance.now() });
    verdict.textContent =
      result.verdict === "ok"
        ? `Linearizable: the checker found an order of all ${operations.length} operations that agrees with real time and the ${model.name} model.`
        : result.verdict === "illegal"
          ? `Not linearizable: no order of the operations explains what the clients saw.`
          : `Undecided: the checker stopped after ${TIME_LIMIT_MS / 1000} s without an answer.`;
    if (result.explanation) {
      const lines = document.createElement("pre");
      lines.className = "history-explanation";
      // Long lines wrap on a phone instead of running off the screen.
      lines.style.whiteSpace = "pre-wrap";
      lines.textContent = result.explanation.describe.join("\n");
      section.append(lines);
    }
    const chart = historyChart(operations, result, { width, clients, describe: (o) => model.describeOperation?.(o.input, o.output) ?? `operation ${o.id}` });
    section.append(chart);
  } catch (e) {
    verdict.className = "tool-error";
    verdict.textContent = `This trace's client history cannot be checked: ${(e as Error).message}`;
  }
  return section;
}
