import { describe, expect, it } from "vitest";
import { idFloor, idTime, newId } from "../../src/db/ids.ts";

describe("time-sortable ids", () => {
  it("sort as text in the order they were made, even within one millisecond", () => {
    const ids = Array.from({ length: 2000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => id.length === ids[0]?.length)).toBe(true);
  });

  it("encode their time, so a remote status's id follows its published date", () => {
    const published = new Date("2025-03-01T12:00:00.000Z");
    const id = newId(published);
    expect(idTime(id).toISOString()).toBe(published.toISOString());
    expect(id >= idFloor(published)).toBe(true);
    expect(id < idFloor(published.getTime() + 1)).toBe(true);
    expect(newId(new Date("2024-01-01")) < id).toBe(true);
  });

  it("never repeat for instants that come back after others (backdated rows made in turns)", () => {
    const base = Date.parse("2025-03-01T12:00:00.000Z");
    const ids: string[] = [];
    for (let round = 0; round < 300; round++) {
      for (let minute = 0; minute < 10; minute++) ids.push(newId(base + minute * 60_000));
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
