// The linearizability verdict on the clients' history, and the offending operations told in words.

import { checkLinearizable, kvModel } from "@course/check";
import { formatOperation, type KvOperation } from "./history.js";
import type { EtcdRun, RunVerdict } from "./run-trace.js";

/** The checker stops after this long and says "unknown" rather than keep the student waiting. */
export const CHECK_TIME_LIMIT_MS = 60_000;

/** Checks the history with the key-value model (each key on its own) and says what the verdict means. */
export function judgeHistory(history: readonly KvOperation[], timeLimitMs = CHECK_TIME_LIMIT_MS): RunVerdict {
  const result = checkLinearizable(kvModel, history, { timeLimitMs, clock: () => performance.now() });
  const keys = new Set(history.map((o) => o.input.key)).size;
  const unknown = history.filter((o) => o.output.unknown).length;
  if (result.verdict === "ok") {
    return { verdict: "ok", text: `linearizable: one order of all ${history.length} operations on ${keys} key${keys === 1 ? "" : "s"} (${unknown} of them unanswered) explains every answer the clients got` };
  }
  if (result.verdict === "unknown") {
    return { verdict: "unknown", text: `undecided: the checker stopped at its limit (${result.stoppedBy === "time" ? `${timeLimitMs / 1000} s` : "search states"}) before finding an order or proving there is none` };
  }
  const bad = result.illegalOperations ?? [];
  const key = bad[0]?.input.key ?? "?";
  const explanation = result.explanation;
  return {
    verdict: "illegal",
    key,
    text: `NOT linearizable: no order of the ${bad.length} operations on '${key}' explains what the clients saw`,
    ...(explanation
      ? { unplaceable: explanation.unplaceable, longestPrefix: explanation.longestPrefix, describe: explanation.describe, partitionIds: result.partitions[explanation.partition]?.ids ?? bad.map((o) => o.id) }
      : {}),
  };
}

const at = (ms: number) => (ms === Infinity ? "never" : `${(ms / 1000).toFixed(3)} s`);

/**
 * For each operation the checker could not place: what it returned, and, for a read, the write whose value it saw
 * and a write of the same key that began after that one was answered and was itself answered before the read
 * was sent: real time orders all three, so the read returned a value already overwritten.
 */
export function offendingLines(run: Pick<EtcdRun, "history" | "verdict">): string[] {
  const { verdict, history } = run;
  if (verdict.verdict !== "illegal" || verdict.unplaceable === undefined) return [];
  const byId = new Map(history.map((o) => [o.id, o]));
  const lines: string[] = [];
  for (const id of verdict.unplaceable) {
    const op = byId.get(id);
    if (!op) continue;
    lines.push(`#${op.id} client ${op.client}: ${formatOperation(op)}, sent at ${at(op.call)}, answered at ${at(op.return)}`);
    if (op.input.op !== "get" || op.output.unknown) continue;
    const key = op.input.key;
    const seen = op.output.value ?? null;
    const source = seen === null ? undefined : history.find((o) => o.input.op !== "get" && "value" in o.input && o.input.value === seen && o.input.key === key);
    if (source) lines.push(`    it saw the value written by #${source.id} (${formatOperation(source)}), answered at ${at(source.return)}`);
    const newer = history.filter((o) => o.input.key === key && o.input.op !== "get" && o.return < op.call && !o.output.unknown && (o.input.op === "put" || o.output.ok) && (source === undefined || o.call > source.return));
    const last = newer.at(-1);
    if (last) lines.push(`    but #${last.id} (${formatOperation(last)}) had been answered at ${at(last.return)}, before this read was sent${newer.length > 1 ? ` (${newer.length} newer writes in all)` : ""}`);
  }
  return lines;
}
