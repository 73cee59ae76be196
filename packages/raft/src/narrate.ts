// Words for Raft trace events: what a message or a state change means, for the terminal lessons and the site.
// Like every protocol's narration in the course, a message (request or reply) is told when it is sent.

import type { NodeId, TraceEvent } from "@course/sim";
import type { AppendEntries, AppendEntriesReply, ClientResult, RaftMessage, RaftView } from "./types.js";

export interface DescriberOptions {
  /** Also describe heartbeats (AppendEntries without entries) and their replies; off by default, they are many. */
  readonly heartbeats?: boolean;
}

/** Servers are named as the site's charts name them: node id 2 is S2, in the terminal and on the page alike. */
export function serverName(id: NodeId): string {
  return `S${id}`;
}

function entriesText(entries: AppendEntries["entries"]): string {
  return entries.map((e) => `${e.index}:${commandText(e.command)}`).join(", ");
}

function commandText(c: AppendEntries["entries"][number]["command"]): string {
  if (c.kind === "noop") return "no-op";
  if (c.kind === "config") return `config [${c.members.map(serverName).join(",")}]`;
  return `${c.op.key}${c.op.type === "append" ? "+=" : "="}${c.op.value}`;
}

/**
 * A describer for one run. It remembers each node's last view to speak about changes (became leader, committed
 * up to N), and forgets everything when the events restart from an earlier point (a rewind or a new run).
 */
export function raftDescriber(options: DescriberOptions = {}): (event: TraceEvent) => string | undefined {
  const N = serverName;
  let last = new Map<NodeId, RaftView>();
  // Said once: each campaign (by sender and term) and each distinct batch of entries (retransmissions stay quiet).
  let said = new Set<string>();
  let describedSends = new Set<number>();
  // Who asked for pre-votes in which term: the real campaign that follows them is not a second timeout.
  let preVoted = new Set<string>();
  // Messages to a crashed node are not worth a line each: its crash was told once.
  let down = new Set<NodeId>();
  let lastSeq = -1;
  return (event) => {
    if (event.seq <= lastSeq) {
      last = new Map();
      said = new Set();
      describedSends = new Set();
      preVoted = new Set();
      down = new Set();
    }
    lastSeq = event.seq;
    switch (event.kind) {
      case "send": {
        const m = event.msg as RaftMessage;
        if (m.type === "PreVote") preVoted.add(`${event.from}:${m.term}`);
        if (down.has(event.to)) return undefined;
        let key: string | undefined;
        if (m.type === "RequestVote" || m.type === "PreVote") key = `${m.type}:${event.from}:${m.term}`;
        else if (m.type === "AppendEntries" && m.entries.length > 0) key = `AE:${event.from}>${event.to}:${m.term}:${m.prevLogIndex}:${m.entries.length}`;
        else if (m.type === "InstallSnapshot") key = `IS:${event.from}>${event.to}:${m.term}:${m.snapshot.lastIncludedIndex}`;
        if (key !== undefined) {
          if (said.has(key)) return undefined;
          said.add(key);
        }
        const afterPreVote = m.type === "RequestVote" && preVoted.has(`${event.from}:${m.term}`);
        const text = describeSend(event.from, event.to, m, N, options.heartbeats ?? false, afterPreVote) ?? describeReply(event.from, event.to, m, N, options.heartbeats ?? false);
        if (text === undefined) return undefined;
        describedSends.add(event.msgId);
        // A candidate that wins sends its first entries (the election no-op, §8) before its new role is recorded:
        // say the win first, on the same line, so the leader never appears to send entries before it has won.
        const sender = last.get(event.from);
        if (m.type === "AppendEntries" && sender?.role === "candidate" && sender.term === m.term && !said.has(`won:${event.from}:${m.term}`)) {
          said.add(`won:${event.from}:${m.term}`);
          const noop = m.entries.some((e) => e.term === m.term && e.command.kind === "noop");
          return `${wonText(event.from, m.term, N)}${noop ? " and appends a no-op entry of that term (§8)" : ""}; ${text}`;
        }
        return text;
      }
      case "drop": {
        const t = (event.msg as RaftMessage).type;
        if (t === "RequestVote" || t === "PreVote") {
          const key = `drop:${t}:${event.from}:${(event.msg as RaftMessage).term}`;
          if (said.has(key)) return undefined;
          said.add(key);
          return `  ${N(event.from)}'s ${t === "PreVote" ? "pre-vote" : "vote"} requests do not get through (${event.reason === "crashed" ? `${N(event.to)} is down` : event.reason}) to ${N(event.to)}${event.reason === "partition" ? " or anyone else cut off from it" : ""}`;
        }
        if (!describedSends.has(event.msgId)) return undefined;
        return `  ${event.msg.type} from ${N(event.from)} to ${N(event.to)} is lost (${event.reason === "crashed" ? `${N(event.to)} is down` : event.reason})`;
      }
      case "crash":
        last.delete(event.node);
        down.add(event.node);
        return `${N(event.node)} crashes: it loses everything not on its disk`;
      case "restart":
        down.delete(event.node);
        return `${N(event.node)} restarts and reloads its term, vote and log from disk`;
      case "client-request":
        return `A client${event.request.client === "client" ? "" : ` (${event.request.client})`} sends ${JSON.stringify(event.request.op)} to ${N(event.node)}`;
      case "client-reply": {
        const r = event.result as ClientResult;
        if (r.ok) return `${N(event.node)} answers the client: done${r.index === undefined ? "" : ` (log index ${r.index})`}${r.value === undefined ? "" : `, value ${JSON.stringify(r.value)}`}`;
        return `${N(event.node)} turns the client away: ${r.error}${r.error === "not-leader" && r.leaderHint != null ? ` (try ${N(r.leaderHint)})` : ""}${r.reason === undefined ? "" : ` (${r.reason})`}`;
      }
      case "partition":
        return `The network splits: ${event.groups.map((g) => `{${g.map(N).join(", ")}}`).join(" | ")}${event.groups.length > 0 ? " (anyone unlisted forms one more group)" : ""}`;
      case "isolate":
        return `${N(event.node)} is cut off from everyone`;
      case "cut":
        return `Messages from ${N(event.from)} to ${N(event.to)} are now lost`;
      case "heal":
        return event.from === undefined ? "The network heals: every link works again" : `The link from ${N(event.from)} to ${N(event.to as NodeId)} works again`;
      case "state": {
        const v = event.view as RaftView;
        const before = last.get(event.node);
        last.set(event.node, v);
        return describeChange(before, v, N, said.has(`won:${v.id}:${v.term}`));
      }
      default:
        return undefined;
    }
  };
}

function wonText(id: NodeId, term: number, N: (id: NodeId) => string): string {
  return `${N(id)} has votes from a majority: it is the leader of term ${term}`;
}

function describeSend(from: NodeId, to: NodeId, m: RaftMessage, N: (id: NodeId) => string, heartbeats: boolean, afterPreVote: boolean): string | undefined {
  switch (m.type) {
    case "RequestVote": {
      // With PreVote the timeout was told with the pre-vote request; the real campaign follows a pre-vote majority.
      const why = m.transfer ? "is told to take over," : afterPreVote ? "has pre-votes from a majority, so it" : "times out,";
      return `${N(from)} ${why} becomes a candidate for term ${m.term}, votes for itself and asks the others for votes; its last log entry is index ${m.lastLogIndex}, term ${m.lastLogTerm}`;
    }
    case "PreVote":
      return `${N(from)} times out and first asks the others whether they would vote for it in term ${m.term} (a pre-vote: nobody changes term yet)`;
    case "AppendEntries":
      if (m.entries.length === 0) return heartbeats ? `${N(from)} sends ${N(to)} a heartbeat (term ${m.term}, commit index ${m.leaderCommit})` : undefined;
      return `${N(from)} sends ${N(to)} entries [${entriesText(m.entries)}], to follow index ${m.prevLogIndex} of term ${m.prevLogTerm}; commit index ${m.leaderCommit}`;
    case "InstallSnapshot":
      return `${N(from)} sends ${N(to)} a snapshot of everything up to index ${m.snapshot.lastIncludedIndex} (term ${m.snapshot.lastIncludedTerm}): the entries it needs are no longer in the log`;
    case "TimeoutNow":
      return `${N(from)} tells ${N(to)} to start an election now: it is handing over leadership`;
    default:
      return undefined;
  }
}

/** A reply, told when it is sent: it says what the replying server did, at the moment it did it. */
function describeReply(from: NodeId, to: NodeId, m: RaftMessage, N: (id: NodeId) => string, heartbeats: boolean): string | undefined {
  switch (m.type) {
    case "RequestVoteReply":
      return m.voteGranted ? `  ${N(from)} votes for ${N(to)} in term ${m.term}` : `  ${N(from)} refuses ${N(to)} its vote in term ${m.term}`;
    case "PreVoteReply":
      return m.voteGranted ? `  ${N(from)} would vote for ${N(to)} in term ${m.term}` : `  ${N(from)} would not vote for ${N(to)}: it hears from a leader or has a better log`;
    case "AppendEntriesReply":
      return describeAppendReply(from, to, m, N, heartbeats);
    case "InstallSnapshotReply":
      return `  ${N(from)} has installed the snapshot up to index ${m.matchIndex}`;
    default:
      return undefined;
  }
}

function describeAppendReply(from: NodeId, to: NodeId, m: AppendEntriesReply, N: (id: NodeId) => string, heartbeats: boolean): string | undefined {
  if (m.success) {
    if (m.appended === 0 && !heartbeats) return undefined;
    return `  ${N(from)} stores them and acknowledges: its log matches ${N(to)}'s up to index ${m.matchIndex}`;
  }
  if (m.conflictIndex === undefined) return `  ${N(from)} rejects ${N(to)}'s message: its own term ${m.term} is newer`;
  if (m.conflictTerm === undefined) return `  ${N(from)} rejects: its log ends before that index, so it asks to continue from index ${m.conflictIndex}`;
  return `  ${N(from)} rejects: its entry there has term ${m.conflictTerm}, which it holds from index ${m.conflictIndex}, so the leader can skip that whole term`;
}

function describeChange(before: RaftView | undefined, v: RaftView, N: (id: NodeId) => string, winTold: boolean): string | undefined {
  const lines: string[] = [];
  if (before === undefined || before.role !== v.role) {
    // Becoming a (pre)candidate is told with the vote request that goes with it, a win with the first entries sent.
    if (v.role === "leader" && !winTold) lines.push(wonText(v.id, v.term, N));
    else if (before !== undefined && v.role === "follower") {
      const how = before.role === "leader" ? "steps down to follower" : "goes back to being a follower";
      lines.push(`${N(v.id)} ${how}${v.term > before.term ? `, adopting the newer term ${v.term}` : ""}`);
    }
  }
  if (before !== undefined && v.commitIndex > before.commitIndex) {
    const newly = v.log.filter((e) => e.index > before.commitIndex && e.index <= v.commitIndex).map((e) => `${e.index}:${e.command}`);
    lines.push(`${N(v.id)} now knows entries up to index ${v.commitIndex} are committed${newly.length > 0 ? ` [${newly.join(", ")}]` : ""} and applies them`);
  }
  if (before !== undefined && v.snapshotIndex > before.snapshotIndex) lines.push(`${N(v.id)} has a snapshot up to index ${v.snapshotIndex}; its log now starts after it`);
  if (before !== undefined) {
    // Thesis §4.2.1: a new server first catches up as a learner; it gets a vote only once the configuration includes it.
    for (const l of v.learners) {
      if (!before.learners.includes(l)) lines.push(`${N(v.id)} starts copying its log to ${N(l)} as a non-voting learner; ${N(l)} joins the configuration once it is within a round of the leader`);
    }
    for (const l of before.learners) {
      if (v.learners.includes(l)) continue;
      if (v.members.includes(l)) lines.push(`${N(l)} has caught up: ${N(v.id)} proposes the configuration that adds it as a voting member`);
      else if (v.role === "leader") lines.push(`${N(v.id)} gives up catching up ${N(l)}: it is not added`);
    }
  }
  if (before !== undefined && v.members.join(",") !== before.members.join(",")) lines.push(`${N(v.id)} now uses the configuration [${v.members.map(N).join(", ")}]`);
  return lines.length > 0 ? lines.join("; ") : undefined;
}
