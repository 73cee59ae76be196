// The clients' history in the checker's shape (Operation<KvInput, KvOutput>), and how operations read in narration.

export interface Operation<I, O> {
  readonly id: number;
  readonly client: number;
  readonly call: number;
  readonly return: number;
  readonly input: I;
  readonly output: O;
}
export type KvInput =
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "put"; readonly key: string; readonly value: string }
  | { readonly op: "append"; readonly key: string; readonly value: string }
  | { readonly op: "cas"; readonly key: string; readonly expected: string | null; readonly value: string };
export type KvOutput = { readonly value?: string | null; readonly ok?: boolean; readonly unknown?: boolean };

export type KvOperation = Operation<KvInput, KvOutput>;

const quote = (v: string | null | undefined) => (v === null || v === undefined ? "(absent)" : v);

/** "put x=17", "get x -> 12", "cas x 12->17 ok", "put x=17 (no answer)". */
export function formatOperation(o: KvOperation): string {
  const i = o.input;
  const call = i.op === "get" ? `get ${i.key}` : i.op === "cas" ? `cas ${i.key} ${quote(i.expected)}->${i.value}` : `${i.op} ${i.key}=${i.value}`;
  if (o.output.unknown) return `${call} (no answer)`;
  if (i.op === "get") return `${call} -> ${quote(o.output.value)}`;
  if (i.op === "cas") return `${call} ${o.output.ok ? "ok" : "refused"}`;
  return call;
}
