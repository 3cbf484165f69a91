// Reading server-sent events in tests: the blocks of a streaming response as they arrive, and a wait for
// a condition on them that fails after a bound instead of hanging.

export interface SseEvent {
  event: string;
  data: string;
}

/** Collects an SSE response's `event:`/`data:` blocks (comments left out) into the returned array. */
export function collectSse(res: Response): SseEvent[] {
  const events: SseEvent[] = [];
  let buffer = "";
  void (async () => {
    try {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let at = buffer.indexOf("\n\n");
        while (at >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          if (!block.startsWith(":")) {
            events.push({
              event: /^event: (.*)$/m.exec(block)?.[1] ?? "",
              data: /^data: (.*)$/m.exec(block)?.[1] ?? "",
            });
          }
          at = buffer.indexOf("\n\n");
        }
      }
    } catch {}
  })();
  return events;
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds, polling every 25 ms; throws after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await pause(25);
  }
}
