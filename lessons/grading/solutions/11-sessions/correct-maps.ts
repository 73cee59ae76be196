// Corpus, exercise 11: a correct solution that converts the image to Maps and back.

import type { Command, KvImage } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "works on Map copies of data and sessions and converts them back with Object.fromEntries" };

export function applyCommand(state: KvImage, command: Command): { state: KvImage; result: string | null } {
  if (command.kind !== "client") return { state, result: null };
  const data = new Map(Object.entries(state.data));
  const sessions = new Map(Object.entries(state.sessions));
  const session = sessions.get(command.client);
  if (command.seq !== undefined && session !== undefined && session.seq >= command.seq) return { state, result: session.result };
  const current = data.get(command.op.key) ?? "";
  const value = command.op.type === "append" ? current + command.op.value : command.op.value;
  data.set(command.op.key, value);
  if (command.seq !== undefined) sessions.set(command.client, { seq: command.seq, result: value });
  return { state: { data: Object.fromEntries(data), sessions: Object.fromEntries(sessions) }, result: value };
}
