// The clients' history in the checker's shape (Operation<KvInput, KvOutput> from @course/check), and how one reads.

import { kvModel, type KvInput, type KvOutput, type Operation } from "@course/check";

export type { KvInput, KvOutput, Operation };
export type KvOperation = Operation<KvInput, KvOutput>;

/** 'put(x, "17")', 'get(x) -> "12"', 'cas(x, "12" -> "17") -> failed': the checker's own words for an operation. */
export function formatOperation(o: KvOperation): string {
  return kvModel.describeOperation?.(o.input, o.output) ?? JSON.stringify(o.input);
}
