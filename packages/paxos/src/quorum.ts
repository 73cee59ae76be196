// Majority quorums: any two majorities of the same cluster share at least one member.

/** The smallest majority of `clusterSize` nodes: 3 of 5, 2 of 3. */
export function majority(clusterSize: number): number {
  return Math.floor(clusterSize / 2) + 1;
}

export function isMajority(count: number, clusterSize: number): boolean {
  return count >= majority(clusterSize);
}
