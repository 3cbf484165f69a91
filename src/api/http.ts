// Request parsing shared by the API routers: parameters may come as a query, a JSON body or a form (with
// Rails-style brackets: `timeline[]=home`, `fields_attributes[0][name]=…`), and are validated with zod.
import type { Context } from "hono";
import type { z } from "zod";
import { AppError, unprocessable } from "../errors.ts";

type Json = string | Json[] | { [key: string]: Json };

/** Turns `a[b][]=x` style pairs into nested objects and arrays. */
function nest(pairs: Iterable<[string, string]>): Record<string, Json> {
  const root: Record<string, Json> = {};
  for (const [rawKey, value] of pairs) {
    const parts = rawKey.replace(/\]/g, "").split("[");
    let node: Record<string, Json> | Json[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      const nextIsArray = !last && parts[i + 1] === "";
      if (Array.isArray(node)) {
        if (last) node.push(value);
        else {
          const child: Record<string, Json> = {};
          node.push(child);
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
          node[part] = nextIsArray ? [] : {};
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
    try {
      const parsed = await c.req.json();
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed;
    } catch {
      throw unprocessable("The request body is not valid JSON");
    }
  } else if (type.includes("form")) {
    const form = await c.req.formData();
    const pairs: [string, string][] = [];
    for (const [k, v] of form) if (typeof v === "string") pairs.push([k, v]);
    body = nest(pairs);
  }
  return { ...query, ...body };
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
export function asValidation<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof AppError && error.code === "bad_request") {
      throw new AppError("unprocessable", error.message, { cause: error });
    }
    throw error;
  }
}
