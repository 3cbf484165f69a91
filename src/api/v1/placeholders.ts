// Endpoints clients call on start-up for features Atelier does not have (yet): custom emojis. They
// answer valid, empty entities so that Elk, Phanpy, Ivory and Tusky keep working instead of showing
// errors.
import { Hono } from "hono";
import type { ApiEnv } from "../types.ts";

export function placeholdersRouter(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const empty = (c: { json: (v: unknown) => Response }) => c.json([]);

  app.get("/custom_emojis", empty);

  return app;
}
