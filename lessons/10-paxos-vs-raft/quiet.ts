// Narration that tells the first command message by message, then only the clients' requests and answers.

import type { TraceEvent } from "@course/sim";

/** The pattern repeats for every later command: the notes give the numbers, the lines would only repeat. */
export function quietAfterFirstAnswer(describe: (e: TraceEvent) => string | undefined): (e: TraceEvent) => string | undefined {
  let answered = false;
  let lastSeq = -1;
  return (e) => {
    if (e.seq <= lastSeq) answered = false;
    lastSeq = e.seq;
    if (answered && (e.kind === "send" || e.kind === "deliver" || e.kind === "drop" || e.kind === "state")) return undefined;
    const line = describe(e);
    if (e.kind === "client-reply") answered = true;
    if (line !== undefined) return line;
    if (e.kind === "client-request") return `A client sends ${JSON.stringify(e.request.op)} to node ${e.node}`;
    if (e.kind === "client-reply") return `Node ${e.node} answers the client: ${JSON.stringify(e.result)}`;
    return undefined;
  };
}
