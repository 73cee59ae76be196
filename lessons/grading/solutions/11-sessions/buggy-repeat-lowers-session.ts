// Corpus, exercise 11: a buggy solution: a late older repeat overwrites the session.

import type { Command, KvImage } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "answers an older repeat correctly but writes its number into the session, so a retry of the client's newest command then runs a second time" };

export function applyCommand(state: KvImage, command: Command): { state: KvImage; result: string | null } {
  if (command.kind !== "client") return { state, result: null };
  const seen = state.sessions[command.client];
  if (command.seq !== undefined && seen !== undefined && command.seq <= seen.seq) {
    return { state: { data: state.data, sessions: { ...state.sessions, [command.client]: { seq: command.seq, result: seen.result } } }, result: seen.result };
  }
  const { op } = command;
  const value = op.type === "append" ? (state.data[op.key] ?? "") + op.value : op.value;
  const data = { ...state.data, [op.key]: value };
  const sessions = command.seq === undefined ? state.sessions : { ...state.sessions, [command.client]: { seq: command.seq, result: value } };
  return { state: { data, sessions }, result: value };
}
