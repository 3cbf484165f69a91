// The studio's session page: any finished step can be taken further (a variation at once, the other
// forms opened for it), two steps are compared side by side (and other steps refused), and a pending
// step's page refreshes itself to the page, not to the #step- fragment its form redirected to.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { generationJobs } from "../../src/db/schema/index.ts";
import { LocalProvider } from "../../src/generation/local/index.ts";
import type { EditRequest } from "../../src/generation/provider.ts";
import {
  parentField,
  settled,
  stepHeading,
  stepIds,
  studioSetup,
} from "../helpers/studio-pages.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const setup = (provider?: LocalProvider) => studioSetup(cleanups, provider);

describe("a studio session's page", () => {
  it("takes an earlier step further: refining step 1 after step 2 makes a step whose parent is step 1", async () => {
    const { i, client, csrf } = await setup();
    const started = await settled(
      i,
      client,
      await client.post("/studio", { csrf, prompt: "a windmill in a field", size: "256x256" }),
    );
    const [first] = stepIds(started.body);
    const varied = await settled(
      i,
      client,
      await client.post("/studio/steps", {
        csrf,
        session: first!,
        parent_id: first!,
        kind: "vary",
      }),
    );
    const second = stepIds(varied.body)[1]!;
    expect(stepHeading(varied.body, second)).toBe("2. Variation from step 1");
    // Every finished step links to the forms opened for it; step 1's link opens them on step 1.
    const refineFirst = new RegExp(
      `href="(/studio/${first}\\?from=${first})#next-step">Refine this`,
    );
    expect(varied.body).toMatch(refineFirst);
    expect(varied.body).toMatch(new RegExp(`href="/studio/${first}\\?from=${second}#next-step"`));
    const opened = await client.get(refineFirst.exec(varied.body)![1]!);
    expect(opened.body).toContain("Next step, from step 1");
    expect(parentField(opened.body)).toBe(first);

    const refined = await settled(
      i,
      client,
      await client.post("/studio/steps", {
        csrf,
        session: first!,
        parent_id: parentField(opened.body)!,
        kind: "refine",
        prompt: "add snow",
      }),
    );
    const ids = stepIds(refined.body);
    expect(ids).toHaveLength(3);
    expect(stepHeading(refined.body, ids[2]!)).toBe("3. Refined from step 1");
    const [job] = await i.deps.db
      .select()
      .from(generationJobs)
      .where(eq(generationJobs.id, ids[2]!));
    expect(job).toMatchObject({ kind: "refine", parentId: first, sessionId: first });
    // Each finished step also varies with one button, on itself.
    const varyForms = [
      ...refined.body.matchAll(
        /name="parent_id" value="(\d+)"><input type="hidden" name="kind" value="vary">\s*<button type="submit" class="button">Vary this/g,
      ),
    ].map((m) => m[1]);
    expect(varyForms).toEqual(ids);
    // A step of no session of hers, or one without an image, is not something to work from.
    expect((await client.get(`/studio/${first}?from=99999`)).res.status).toBe(400);
  });

  it("compares two steps side by side, links each step to its previous one, and refuses other steps", async () => {
    const { i, client, csrf } = await setup();
    const started = await settled(
      i,
      client,
      await client.post("/studio", { csrf, prompt: "a tram in the rain", size: "256x256" }),
    );
    const [first] = stepIds(started.body);
    const refined = await settled(
      i,
      client,
      await client.post("/studio/steps", {
        csrf,
        session: first!,
        parent_id: first!,
        kind: "refine",
        prompt: "at night, neon reflections",
      }),
    );
    const second = stepIds(refined.body)[1]!;
    // The first step has nothing before it; the second links to a comparison with its parent.
    const links = [...refined.body.matchAll(/href="([^"]+)">Compare with previous \(step (\d)\)/g)];
    expect(links.map((m) => [m[1], m[2]])).toEqual([
      [`/studio/${first}?compare=${first},${second}#compare`, "1"],
    ]);
    // Large previews: the step's image at its own size, so the page does not shift as it loads.
    expect(refined.body).toMatch(
      /<img class="studio-image" src="[^"]+" alt="[^"]+" width="256" height="256"/,
    );

    const compared = await client.get(`/studio/${first}?compare=${first},${second}`);
    expect(compared.res.status).toBe(200);
    const block = compared.body.slice(
      compared.body.indexOf('class="studio-compare"'),
      compared.body.indexOf('class="studio-steps"'),
    );
    expect(block).toContain("Step 1 and step 2 side by side");
    const figures = [...block.matchAll(/<figure>([\s\S]*?)<\/figure>/g)].map((m) => m[1]!);
    expect(figures).toHaveLength(2);
    expect(figures[0]).toMatch(/<img class="studio-image"/);
    expect(figures[0]).toContain("<strong>1. Generated</strong>: a tram in the rain");
    expect(figures[1]).toContain("<strong>2. Refined</strong>: at night, neon reflections");
    // Without a comparison asked for, none is shown.
    expect(refined.body).not.toContain('class="studio-compare"');

    // Another session's step, the same step twice, one id or three: each a 400, with a message.
    const other = await settled(
      i,
      client,
      await client.post("/studio", { csrf, prompt: "a ferry at dawn", size: "256x256" }),
    );
    const otherStep = stepIds(other.body)[0]!;
    for (const compare of [
      `${first},${otherStep}`,
      `${first},${first}`,
      first!,
      `${first},${second},${first}`,
      "x,y",
    ]) {
      const refused = await client.get(`/studio/${first}?compare=${encodeURIComponent(compare)}`);
      expect(refused.res.status, compare).toBe(400);
      expect(refused.body).toContain("compare takes two different steps of this session");
    }
  });

  it("refreshes a pending step's page without its #step- fragment, which would only scroll", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    class HeldEdits extends LocalProvider {
      override async edit(request: EditRequest, signal: AbortSignal) {
        await held;
        return await super.edit(request, signal);
      }
    }
    const { i, client, csrf } = await setup(new HeldEdits());
    const started = await settled(
      i,
      client,
      await client.post("/studio", { csrf, prompt: "a kite over a beach", size: "256x256" }),
    );
    const [first] = stepIds(started.body);
    expect(started.body).not.toContain('http-equiv="refresh"');
    const asked = await client.post("/studio/steps", {
      csrf,
      session: first!,
      parent_id: first!,
      kind: "refine",
      prompt: "at night",
    });
    expect(asked.headers.get("location")).toMatch(new RegExp(`^/studio/${first}#step-\\d+$`));
    const waiting = await client.get(`/studio/${first}`);
    expect(waiting.body).toContain(`<meta http-equiv="refresh" content="2; url=/studio/${first}">`);
    expect(waiting.body).toContain("The next step can be asked for once this one is done.");
    // The pending step says where it is (announced politely to screen readers as the page refreshes).
    expect(waiting.body).toMatch(
      /<p class="muted" aria-live="polite">(Waiting for a free generator…|Making the image…) <a href="">Refresh<\/a><\/p>/,
    );
    release();
    await i.deps.generation.idle();
    expect((await client.get(`/studio/${first}`)).body).not.toContain('http-equiv="refresh"');
  });
});
