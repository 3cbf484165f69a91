import { describe, expect, it } from "vitest";
import { RecentTimes } from "../../src/domain/recent-times.ts";

describe("RecentTimes", () => {
  it("keeps only the events inside the window and says how long to wait past a limit", () => {
    let now = 1_000_000;
    const times = new RecentTimes(() => now);
    times.push("a", 60_000);
    now += 10_000;
    times.push("a", 60_000);
    expect(times.recent("a", 60_000)).toHaveLength(2);
    expect(times.waitSeconds(times.recent("a", 60_000), 3, 60_000)).toBe(0);
    // Two allowed per minute: the next one is allowed when the first leaves the window, 50 s from now.
    expect(times.waitSeconds(times.recent("a", 60_000), 2, 60_000)).toBe(50);
    now += 55_000;
    expect(times.recent("a", 60_000)).toHaveLength(1);
    now += 60_000;
    expect(times.recent("a", 60_000)).toHaveLength(0);
  });

  it("forgets the least recently touched key past its bound", () => {
    const times = new RecentTimes(() => 5_000, 2);
    times.push("a", 60_000);
    times.push("b", 60_000);
    times.push("a", 60_000);
    times.push("c", 60_000);
    expect(times.recent("b", 60_000)).toEqual([]);
    expect(times.recent("a", 60_000)).toHaveLength(2);
    expect(times.recent("c", 60_000)).toHaveLength(1);
  });
});
