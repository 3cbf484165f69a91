// Drives the web pages in-process (app.request) like a browser would: keeps cookies, reads CSRF tokens
// out of forms, and signs in.
import type { Hono } from "hono";
import { PASSWORD } from "./factories.ts";

export class PageClient {
  readonly #app: Hono;
  readonly cookies = new Map<string, string>();
  /** Headers every request carries, as a browser's would (Accept-Language). */
  readonly #defaults: Record<string, string>;

  constructor(app: Hono, defaults: Record<string, string> = {}) {
    this.#app = app;
    this.#defaults = defaults;
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.#defaults)) {
      if (!headers.has(name)) headers.set(name, value);
    }
    if (this.cookies.size > 0) {
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    const res = await this.#app.request(path, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async get(path: string): Promise<{ res: Response; body: string }> {
    const res = await this.request(path);
    return { res, body: await res.text() };
  }

  /** The CSRF token of the first form on the page at `path`. */
  async csrfFrom(path: string): Promise<string> {
    const { body } = await this.get(path);
    const m = /name="csrf" value="([^"]+)"/.exec(body);
    if (m === null) throw new Error(`No CSRF token on ${path}`);
    return m[1]!;
  }

  post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async signIn(username: string, password = PASSWORD): Promise<Response> {
    const csrf = await this.csrfFrom("/auth/sign_in");
    return this.post("/auth/sign_in", { csrf, username, password });
  }
}
