// What the studio page tests share: an instance with the generation worker running and alice signed
// in, following a step form to its finished session page, and reading the steps off that page.
import { expect } from "vitest";
import type { LocalProvider } from "../../src/generation/local/index.ts";
import { localUser } from "./factories.ts";
import { createTestInstance, type TestInstance } from "./instance.ts";
import { PageClient } from "./web.ts";

/** An instance (closed by the caller's `cleanups`) with alice signed in to the pages. */
export async function studioSetup(cleanups: (() => Promise<void>)[], provider?: LocalProvider) {
  const i: TestInstance = await createTestInstance(
    {},
    {},
    provider ? { imageProvider: provider } : {},
  );
  cleanups.push(() => i.close());
  await i.deps.generation.start();
  const alice = await localUser(i, "alice");
  const client = new PageClient(i.app);
  await client.signIn("alice");
  const csrf = await client.csrfFrom("/studio");
  return { i, alice, client, csrf };
}

/** Follows a form's 303 to the session page once every step of it has finished. */
export async function settled(i: TestInstance, client: PageClient, res: Response) {
  expect(res.status).toBe(303);
  const location = res.headers.get("location")!;
  expect(location).toMatch(/^\/studio\/\d+/);
  await i.deps.generation.idle();
  const page = await client.get(location.replace(/#.*$/, ""));
  expect(page.res.status).toBe(200);
  return { path: location.replace(/#.*$/, ""), body: page.body };
}

export const stepIds = (body: string) => [...body.matchAll(/id="step-(\d+)"/g)].map((m) => m[1]!);
/** The step the "next step" forms at the foot of the page work on. */
export const parentField = (body: string) =>
  /name="parent_id" value="(\d+)"/.exec(body.slice(body.indexOf('id="next-step"')))?.[1];
/** The heading of one step: "3. Refined from step 1". */
export const stepHeading = (body: string, id: string) =>
  /<p><strong>(.*?)<\/strong>(?: <span class="step-parent">(.*?)<\/span>)?/
    .exec(body.slice(body.indexOf(`id="step-${id}"`)))
    ?.slice(1, 3)
    .filter(Boolean)
    .join(" ");
