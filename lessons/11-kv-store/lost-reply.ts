// Scenario 2: the leader crashes before the client hears back; the client's retry is applied once, thanks to its session.

import { finishStory, formatCommand, waitForLeader, type LogEntry, type RaftNode } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { KvClient, attempt, formatOutcome, perform } from "./client.js";
import { FIRST_LEADER, FIVE, kvCluster, server } from "./cluster.js";
import { checkHistory } from "./history.js";
import { kvDescriber } from "./narrate.js";

const KEY = "cart";

const sessionText = (e: LogEntry) => (e.command.kind === "client" ? `${e.command.client} #${e.command.seq ?? "-"}` : formatCommand(e.command));

export const lostReply: Scenario = {
  id: "lost-reply",
  title: "A lost reply and a retry applied once",
  summary:
    "Client c1 appends 'pear;' to its cart. The leader sends the entry to the followers and crashes before any answer reaches the client. The new leader commits the entry, so the append happened, but c1 cannot know that and sends it again. Both copies are now in the log; the session table recognises the second as command #2 of c1, already done, and answers it without appending twice. Switch sessions off to see the cart get two pears.",
  protocol: "raft",
  defaultSeed: 1,
  variants: { "no-sessions": "the client does not number its commands, so the servers cannot tell a retry from a new command: the retried append is applied twice" },
  describe: kvDescriber(),
  run({ seed, variant }) {
    const sessions = variant !== "no-sessions";
    const sim = kvCluster(seed);
    const c1 = new KvClient("c1", FIVE, { sessions, firstGuess: FIRST_LEADER });
    const reader = new KvClient("c2", FIVE, { firstGuess: 2 });
    sim.heading(`Node ${FIRST_LEADER} leads; c1 ${sessions ? "opens a session and numbers its commands" : "keeps no session: its commands carry no number"}`, "setup");
    waitForLeader(sim, 2000);
    const calls = [...perform(sim, [[c1, { type: "append", key: KEY, value: "apple;" }]])];
    sim.runFor(30);

    sim.heading(`c1 appends 'pear;'; node ${FIRST_LEADER} crashes before anyone answers`, "crash");
    // The entry leaves in AppendEntries the instant the request is handled; the crash comes right after, so the
    // followers store it but their acknowledgements, and the client's answer, have no leader to go to.
    const pending = c1.begin({ type: "append", key: KEY, value: "pear;" }, sim.now);
    attempt(sim, c1, pending, FIRST_LEADER);
    sim.apply({ type: "crash", node: FIRST_LEADER });
    sim.runFor(c1.timeout);
    const holders = FIVE.filter((id) => server(sim, id)?.log.all().some((e) => e.index > 0 && e.command.kind === "client" && e.command.op.value === "pear;"));
    sim.note(`After ${c1.timeout} ms c1 has no answer. The entry is on node${holders.length === 1 ? "" : "s"} ${holders.join(", ")}: a majority, so whoever leads next has it and will commit it. c1 cannot know any of that; all it can do is ask again.`, { label: "no-answer" });

    sim.heading("A new leader; c1 retries the same command", "retry");
    calls.push(...perform(sim, [[c1, pending]]));
    sim.runFor(60);
    const leader = FIVE.map((id) => server(sim, id)).find((n): n is RaftNode => n?.role === "leader");
    const pears = (leader?.log.all() ?? []).filter((e) => e.command.kind === "client" && e.command.op.value === "pear;");
    const table = leader?.kv.toJSON().sessions[c1.name];
    if (sessions) {
      sim.note(
        `Leader ${leader?.id ?? "?"}'s log holds the pear twice: ${pears.map((e) => `index ${e.index} (term ${e.term}, ${sessionText(e)})`).join(" and ")}. Applying index ${pears[0]?.index ?? "?"} appended it and wrote "c1: last command #${table?.seq ?? "?"}, answer '${table?.result ?? ""}'" into the session table. Applying index ${pears[1]?.index ?? "?"} found #${table?.seq ?? "?"} already there: a duplicate, answered from the table, not executed.`,
        { label: "duplicate-detected" },
      );
    } else {
      sim.note(
        `Leader ${leader?.id ?? "?"}'s log holds the pear twice (${pears.map((e) => `index ${e.index}, ${sessionText(e)}`).join(" and ")}), and with no command number the state machine cannot tell a retry from a second pear: both are applied.`,
        { label: "applied-twice" },
      );
    }

    sim.heading("c2 reads the cart; the checker judges the history", "check");
    calls.push(...perform(sim, [[reader, { type: "get", key: KEY }]]));
    sim.apply({ type: "restart", node: FIRST_LEADER });
    sim.runFor(150);
    const read = calls[calls.length - 1];
    const verdict = checkHistory(sim, calls);
    sim.note(
      verdict.ok
        ? `The clients made two appends and a read; the read saw each append once. ${verdict.text}.`
        : `c1 meant two appends, 'apple;' and 'pear;', and c2 read ${read ? formatOutcome(read) : "nothing"}: no order of two appends produces that. ${verdict.text}.`,
      { label: "verdict" },
    );
    return finishStory(
      sim,
      `c1's 'pear;' was sent ${pending.requestIds.length} times, is in the log ${pears.length} times, applied ${sessions ? "once (duplicate detected by the session table)" : `${countOf(leader?.kv.get(KEY) ?? "", "pear;")} times`}; c2 read ${read ? formatOutcome(read) : "nothing"}; history ${verdict.text}.`,
    );
  },
};

function countOf(text: string, token: string): number {
  return text.split(token).length - 1;
}
