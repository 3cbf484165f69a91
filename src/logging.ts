// LogTape setup. Categories mirror folders (["atelier", "federation", "inbox"]); Fedify logs under
// ["fedify"], and we show its warnings and errors only, unless LOG_LEVEL asks for more detail.
import { AsyncLocalStorage } from "node:async_hooks";
import { configure, getConsoleSink, getLogger, type Logger } from "@logtape/logtape";
import type { LogLevel } from "./config.ts";

export async function configureLogging(level: LogLevel): Promise<void> {
  await configure({
    reset: true,
    // Fedify attaches request context (trace ids) to its log records through this storage.
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { console: getConsoleSink() },
    loggers: [
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
      { category: ["atelier"], lowestLevel: level, sinks: ["console"] },
      {
        category: ["fedify"],
        lowestLevel: level === "trace" || level === "debug" ? level : "warning",
        sinks: ["console"],
      },
    ],
  });
}

/** A logger under the ["atelier", …] category tree. */
export function logger(...category: string[]): Logger {
  return getLogger(["atelier", ...category]);
}
