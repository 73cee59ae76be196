// Scenario 2: the leader crashes before the client hears back; the client's retry is applied once, thanks to its session.

import { finishStory, formatCommand, majority, readDurableState, waitForLeader, type LogEntry, type RaftNode } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { KvClient, attempt, formatOutcome, perform } from "./client.js";
import { electionNoop, explainNoop, FIRST_LEADER, FIVE, kvCluster, server } from "./cluster.js";
import { checkHistory } from "./history.js";
import { kvDescriber } from "./narrate.js";

const KEY = "cart";

const sessionText = (e: LogEntry) => (e.command.kind === "client" ? `${e.command.client} #${e.command.seq ?? "-"}` : formatCommand(e.command));

export const lostReply: Scenario = {
  id: "lost-reply",
  title: "A lost reply and a retry applied once",
  summary:
    "Client c1 appends 'pear;' to its cart. The leader sends the entry to the followers and crashes before any answer reaches the client. The entry was on a majority, so the append happened, and the new leader learns it is committed once its own no-op is; but c1 cannot know that and sends it again. Both copies are now in the log; the session table recognizes the second as command #2 of c1, already done, and answers it without appending twice. Switch sessions off to see the cart get two pears.",
  protocol: "raft",
  defaultSeed: 1,
  variants: { "no-sessions": "the client does not number its commands, so the servers cannot tell a retry from a new command: the retried append is applied twice" },
  describe: kvDescriber(),
  run({ seed, variant }) {
    const sessions = variant !== "no-sessions";
    const sim = kvCluster(seed);
    const c1 = new KvClient("c1", FIVE, { sessions, firstGuess: FIRST_LEADER });
    const reader = new KvClient("c2", FIVE, { firstGuess: 2 });
    sim.heading(`Node ${FIRST_LEADER} leads; c1 ${sessions ? "opens a session and numbers its commands" : "keeps no session: its commands carry no number"}`);
    const first = waitForLeader(sim, 2000);
    if (first !== undefined) explainNoop(sim, first, "noop");
    const calls = [...perform(sim, [[c1, { type: "append", key: KEY, value: "apple;" }]])];
    sim.runFor(30);

    sim.heading(`c1 appends 'pear;'; node ${FIRST_LEADER} crashes before anyone answers`);
    // The entry leaves in AppendEntries the instant the request is handled; the crash comes right after, so the
    // followers store it but their acknowledgments, and the client's answer, have no leader to go to.
    const pending = c1.begin({ type: "append", key: KEY, value: "pear;" }, sim.now);
    attempt(sim, c1, pending, FIRST_LEADER);
    sim.apply({ type: "crash", node: FIRST_LEADER });
    sim.runFor(c1.timeout);
    sim.note(noAnswer(sim, c1.timeout), { label: "no-answer" });

    sim.heading("A new leader; c1 retries the same command");
    calls.push(...perform(sim, [[c1, pending]]));
    sim.runFor(60);
    const leader = FIVE.map((id) => server(sim, id)).find((n): n is RaftNode => n?.role === "leader");
    const pears = (leader?.log.all() ?? []).filter((e) => e.command.kind === "client" && e.command.op.value === "pear;");
    const table = leader?.kv.toJSON().sessions[c1.name];
    if (sessions) {
      sim.note(
        `${committedWithNoop(leader, pears[0])}Leader ${leader?.id ?? "?"}'s log holds the pear twice: ${pears.map((e) => `index ${e.index} (term ${e.term}, ${sessionText(e)})`).join(" and ")}. Applying index ${pears[0]?.index ?? "?"} appended it and wrote "c1: last command #${table?.seq ?? "?"}, answer '${table?.result ?? ""}'" into the session table. Applying index ${pears[1]?.index ?? "?"} found #${table?.seq ?? "?"} already there: a duplicate, answered from the table, not executed.`,
        { label: "duplicate-detected" },
      );
    } else {
      sim.note(
        `${committedWithNoop(leader, pears[0])}Leader ${leader?.id ?? "?"}'s log holds the pear twice (${pears.map((e) => `index ${e.index}, ${sessionText(e)}`).join(" and ")}), and with no command number the state machine cannot tell a retry from a second pear: both are applied.`,
        { label: "applied-twice" },
      );
    }

    sim.heading("c2 reads the cart; the checker judges the history");
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

/** Every server's log, from memory, or from disk for a server that is down. */
function logOf(sim: Parameters<typeof server>[0], id: number): readonly LogEntry[] {
  return server(sim, id)?.log.all() ?? readDurableState(sim.storage(id)).entries;
}

/**
 * Where the unanswered pear is, and what that implies: not "a majority has it, so it is safe" (lesson 8's Figure 8
 * refutes that), but the paper's definition of committed and the election restriction applied to the logs as they are.
 */
function noAnswer(sim: Parameters<typeof server>[0], waited: number): string {
  const isPear = (e: LogEntry) => e.command.kind === "client" && e.command.op.value === "pear;";
  const pear = FIVE.flatMap((id) => logOf(sim, id).filter(isPear))[0];
  const holders = FIVE.filter((id) => logOf(sim, id).some(isPear));
  const where = holders.map((id) => (sim.isUp(id) ? `${id}` : `${id} (on its disk)`)).join(", ");
  const latest = Math.max(...FIVE.flatMap((id) => logOf(sim, id).map((e) => e.term)));
  const start = `After ${waited} ms c1 has no answer. The pear, entry ${pear?.index ?? "?"} of term ${pear?.term ?? "?"}, is on node${holders.length === 1 ? "" : "s"} ${where}.`;
  if (pear === undefined || holders.length < majority(FIVE.length) || latest > pear.term) {
    return `${start} Whether it survives depends on who wins the next election. c1 cannot know any of that; all it can do is ask again.`;
  }
  return (
    `${start} By the paper's definition it is already committed: the leader that created it, node ${FIRST_LEADER}, got it stored on a majority in its own term ${pear.term}. Nobody knows that yet, since the acknowledgments had no leader to reach. ` +
    `A committed entry is in every later leader's log (Leader Completeness, lesson 8), and here you can see why: ${
      holders.length === FIVE.length
        ? "every server holds it, so whoever leads next has it."
        : `no server holds an entry of a term later than ${pear.term}, so a server without the pear has a log less up to date than the ${holders.length} that hold it and cannot collect a majority of votes (§5.4.1).`
    } "A majority holds it" alone would not be enough: in lesson 8's Figure 8 an entry on a majority is overwritten, because it was copied there in a later term. c1 cannot know any of that; all it can do is ask again.`
  );
}

/** How the new leader learned that the first pear was committed: with its own no-op, the first entry it could count. */
function committedWithNoop(leader: RaftNode | undefined, pear: LogEntry | undefined): string {
  const noop = leader === undefined ? undefined : electionNoop(leader);
  if (noop === undefined || pear === undefined || pear.term >= noop.term) return "";
  return `When leader ${leader?.id}'s no-op of term ${noop.term} (index ${noop.index}) was committed, leader ${leader?.id} learned that the first pear (index ${pear.index}, term ${pear.term}) was committed too, and applied it. `;
}

function countOf(text: string, token: string): number {
  return text.split(token).length - 1;
}
