// The ceiling for the HTTP benchmarks: a bare Hono app on @hono/node-server, started the same way as
// Atelier (a child process on Node 24), answering a small JSON "hello".
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.get("/health", (c) => c.json({ status: "ok" }));
app.get("/hello", (c) => c.json({ hello: "world" }));
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" });
process.once("SIGTERM", () => server.close(() => process.exit(0)));
