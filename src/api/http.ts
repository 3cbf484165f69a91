// Request parsing shared by the API routers: parameters may come as a query, a JSON body or a form (with
// Rails-style brackets: `timeline[]=home`, `fields_attributes[0][name]=…`), and are validated with zod.
import type { Context } from "hono";
import type { z } from "zod";
import { AppError, badRequest, unprocessable } from "../errors.ts";

type Json = string | Json[] | { [key: string]: Json };

// Names that would reach Object.prototype (or a constructor) when a parameter is nested or merged into
// an object: `__proto__[content-type]=text/html` once rewrote every later answer's headers. They are no
// parameter of Mastodon's, so they are refused outright, wherever they come from.
const FORBIDDEN_NAMES = new Set(["__proto__", "constructor", "prototype"]);

/** Refuses a parameter name (or one segment of `a[b][c]`) that could pollute a prototype. */
export function checkParamName(name: string): void {
  if (FORBIDDEN_NAMES.has(name)) throw badRequest(`"${name}" is not allowed as a parameter name`);
}

/** An empty record without a prototype: no key written into it can reach Object.prototype. */
const record = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

/** The text fields of a parsed form (files left out), in a prototype-free record, names checked. */
export function formFields(entries: Iterable<[string, unknown]>): Record<string, string> {
  const out = record<string>();
  for (const [name, value] of entries) {
    checkParamName(name);
    if (typeof value === "string") out[name] = value;
  }
  return out;
}

/**
 * Refuses a JSON document with a forbidden key at any depth. JSON.parse makes `__proto__` an own key,
 * harmless by itself, but any later merge (`Object.assign`, a spread into a class, a deep merge) would
 * follow it. Iterative, so a deeply nested document cannot overflow the stack.
 */
function checkJsonNames(root: unknown): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) pending.push(...value);
    else {
      for (const [name, child] of Object.entries(value)) {
        checkParamName(name);
        pending.push(child);
      }
    }
  }
}

/** Turns `a[b][]=x` style pairs into nested (prototype-free) objects and arrays. */
function nest(pairs: Iterable<[string, string]>): Record<string, Json> {
  const root = record<Json>();
  for (const [rawKey, value] of pairs) {
    const parts = rawKey.replace(/\]/g, "").split("[");
    for (const part of parts) checkParamName(part);
    let node: Record<string, Json> | Json[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      const nextIsArray = !last && parts[i + 1] === "";
      if (Array.isArray(node)) {
        if (last) node.push(value);
        else {
          // Rails' rule for `a[][k]=1&a[][j]=2`: the pair joins the array's last hash unless that hash
          // has the key already (then it starts the next one), so each entry's fields stay together.
          const tail: Json | undefined = node.at(-1);
          const key = parts[i + 1]!;
          const reuse: boolean =
            i + 1 === parts.length - 1 &&
            tail !== undefined &&
            typeof tail === "object" &&
            !Array.isArray(tail) &&
            !(key in tail);
          const child: Record<string, Json> = reuse
            ? (tail as Record<string, Json>)
            : record<Json>();
          if (!reuse) node.push(child);
          node = child;
        }
        continue;
      }
      if (last) {
        if (part === "") continue;
        node[part] = value;
      } else {
        const existing: Json | undefined = node[part];
        if (existing === undefined || typeof existing === "string") {
          node[part] = nextIsArray ? [] : record<Json>();
        }
        node = node[part] as Record<string, Json> | Json[];
      }
    }
  }
  return root;
}

/** The request's parameters: query merged with a JSON or form body (the body wins). */
export async function readParams(c: Context): Promise<Record<string, unknown>> {
  const query = nest(new URL(c.req.url).searchParams);
  if (c.req.method === "GET" || c.req.method === "HEAD") return query;
  const type = c.req.header("content-type") ?? "";
  let body: Record<string, unknown> = {};
  if (type.includes("application/json")) {
    let parsed: unknown;
    try {
      parsed = await c.req.json();
    } catch (error) {
      if (error instanceof AppError) throw error; // the body limit's 413
      throw unprocessable("The request body is not valid JSON");
    }
    checkJsonNames(parsed);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      body = parsed as Record<string, unknown>;
    }
  } else if (type.includes("form")) {
    const form = await c.req.formData();
    const pairs: [string, string][] = [];
    for (const [k, v] of form) {
      checkParamName(k);
      if (typeof v === "string") pairs.push([k, v]);
    }
    body = nest(pairs);
  }
  return Object.assign(record<unknown>(), query, body);
}

/** Validates parameters with a zod schema; failures are 422 with each field's problem. */
export async function parseParams<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const result = schema.safeParse(await readParams(c));
  if (!result.success) {
    const details: Record<string, { error: string; description: string }[]> = {};
    for (const issue of result.error.issues) {
      const key = issue.path.join(".") || "params";
      const list = details[key] ?? [];
      list.push({ error: "ERR_INVALID", description: issue.message });
      details[key] = list;
    }
    throw unprocessable(
      `Validation failed: ${Object.entries(details)
        .map(([k, v]) => `${k} ${v[0]!.description}`)
        .join(", ")}`,
      details,
    );
  }
  return result.data;
}

/** Mastodon booleans arrive as true/false, "true"/"false", "1"/"0", "on". */
export const booleanParam = (v: unknown): boolean | undefined => {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "boolean") return v;
  return ["true", "1", "on", "yes"].includes(String(v).toLowerCase());
};

/** One or many values (`types[]=a&types[]=b`, `types=a`) as an array. */
export const listParam = (v: unknown): string[] | undefined => {
  if (v === undefined || v === null || v === "") return undefined;
  return (Array.isArray(v) ? v : [v]).map(String);
};

/** Runs a domain call, turning its 400s into Mastodon's 422 "Validation failed" answers. */
export async function asValidation<T>(call: () => Promise<T> | T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError && error.code === "bad_request") {
      throw new AppError("unprocessable", error.message, { cause: error });
    }
    throw error;
  }
}
