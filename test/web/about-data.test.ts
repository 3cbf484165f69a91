// /about/data is written from what is true: the provider in use and what it receives, the dataset and
// crawler policies in force, and the signed-in visitor's own choice.
import { afterAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { datasetExports } from "../../src/db/schema/index.ts";
import { setAiCrawlers, setInstancePagesReserved } from "../../src/domain/data-mining.ts";
import { providerDisclosure } from "../../src/generation/disclosure.ts";
import { setConsent } from "../helpers/consent.ts";
import { localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const opened: TestInstance[] = [];
afterAll(async () => {
  for (const i of opened) await i.close();
});
async function instance(env: Record<string, string> = {}) {
  const i = await createTestInstance(env);
  opened.push(i);
  return i;
}
const section = (body: string, title: string) => {
  const start = body.indexOf(`<h2>${title}</h2>`);
  expect(start).toBeGreaterThan(-1);
  const end = body.indexOf("<h2>", start + 1);
  return body.slice(start, end === -1 ? undefined : end);
};

describe("/about/data, the provider", () => {
  it("with the built-in generator, says nothing leaves the server", async () => {
    const i = await instance({ IMAGE_PROVIDER: "local" });
    const part = section(
      (await new PageClient(i.app).get("/about/data")).body,
      "What goes to an AI provider",
    );
    expect(part).toContain("<strong>on this server</strong>");
    expect(part).not.toContain("receives");
  });

  it("with an OpenAI-compatible server, names its host and each call the provider makes", async () => {
    const i = await instance({
      IMAGE_PROVIDER: "openai",
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
    });
    const part = section(
      (await new PageClient(i.app).get("/about/data")).body,
      "What goes to an AI provider",
    );
    expect(part).toContain("<strong>127.0.0.1:9</strong>");
    const disclosure = providerDisclosure(i.config, i.deps.generation.provider);
    // The OpenAI provider generates, edits and moderates prompts today.
    expect(disclosure.calls).toEqual(
      expect.arrayContaining(["moderate_prompt", "generate", "edit"]),
    );
    expect(part).toContain("your prompt, your negative prompt");
    expect(part).toContain("When you edit an image");
    expect(part).toContain("moderation check");
    expect((part.match(/<li>/g) ?? []).length).toBe(disclosure.calls.length);
  });

  it("with OpenAI itself, names api.openai.com", async () => {
    const i = await instance({ IMAGE_PROVIDER: "openai", OPENAI_API_KEY: "sk-test" });
    expect((await new PageClient(i.app).get("/about/data")).body).toContain(
      "<strong>api.openai.com</strong>",
    );
  });
});

describe("/about/data, datasets, crawlers and your choices", () => {
  it("says no dataset was ever made, lists the robots.txt crawlers in force and the instance policy", async () => {
    const i = await instance();
    const client = new PageClient(i.app);
    let body = (await client.get("/about/data")).body;
    expect(section(body, "Datasets")).toContain("No dataset has been exported");
    // A finished export from the admin page is counted, with its day.
    await i.deps.db.insert(datasetExports).values({
      id: newId(),
      state: "succeeded",
      finishedAt: new Date(Date.UTC(2026, 10, 30, 12)),
    });
    const counted = section((await client.get("/about/data")).body, "Datasets");
    expect(counted).toContain("One dataset has been exported from this server");
    expect(counted).toContain(">2026-11-30</time>");
    expect(section(body, "Datasets")).toContain("posts from other servers are never exported");
    const crawlers = section(body, "AI crawlers");
    expect(crawlers).toContain("Atelier&#39;s default list");
    expect(crawlers).toContain("GPTBot, ChatGPT-User");
    expect(crawlers).toContain("(explore, hashtags, about) are reserved");

    await setAiCrawlers(i.deps.db, "OnlyThisBot");
    await setInstancePagesReserved(i.deps.db, false);
    body = (await client.get("/about/data")).body;
    expect(section(body, "AI crawlers")).toContain("the administrator&#39;s list): OnlyThisBot.");
    expect(section(body, "AI crawlers")).not.toContain("GPTBot");
    expect(section(body, "AI crawlers")).toContain("are not reserved");
    expect(section(body, "Your choices")).toContain("Sign in");
  });

  it("shows the signed-in user's choice and what it means for their pages, and follows a change", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice");
    const client = new PageClient(i.app);
    await client.signIn("alice");
    let mine = section((await client.get("/about/data")).body, "Your choices");
    expect(mine).toContain("not allowed in datasets");
    expect(mine).toContain("tdm-reservation: 1");
    await setConsent(i.deps.db, account.id, true);
    mine = section((await client.get("/about/data")).body, "Your choices");
    expect(mine).toContain("<strong>allowed in datasets</strong>");
    expect(mine).toContain("tdm-reservation: 0");
  });
});
