// Corpus, exercise 11: a buggy solution: one command counter shared by every client.

import type { Command, KvImage } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "keeps a single session for all clients, so one client's command is dropped as a repeat of another's" };

export function applyCommand(state: KvImage, command: Command): { state: KvImage; result: string | null } {
  if (command.kind !== "client") return { state, result: null };
  const seen = state.sessions["all"];
  if (command.seq !== undefined && seen !== undefined && command.seq <= seen.seq) return { state, result: seen.result };
  const { op } = command;
  const value = op.type === "append" ? (state.data[op.key] ?? "") + op.value : op.value;
  const data = { ...state.data, [op.key]: value };
  const sessions = command.seq === undefined ? state.sessions : { ...state.sessions, ["all"]: { seq: command.seq, result: value } };
  return { state: { data, sessions }, result: value };
}
