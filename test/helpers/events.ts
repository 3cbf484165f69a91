// Sees the domain events an action records, as their subscribers do. The table is no place to look: the
// instance's dispatcher deletes each event once dispatched, which may come before the test reads it.
import type { DomainEvent, DomainEventType, EventDispatcher } from "../../src/domain/events.ts";

/** Each event of `types` dispatched from now on, in order; await `events.drain()` before reading it. */
export function watchEvents(events: EventDispatcher, ...types: DomainEventType[]): DomainEvent[] {
  const seen: DomainEvent[] = [];
  for (const type of types) events.on(type, "test: watchEvents", (event) => void seen.push(event));
  return seen;
}
