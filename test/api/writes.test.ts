import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pruneMedia } from "../../src/media/prune.ts";
import { call, follow, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

async function png(color = "#3366cc", width = 320, height = 200): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp({ create: { width, height, channels: 3, background: color } })
      .png()
      .toBuffer(),
  );
}

async function upload(
  path: string,
  token: string,
  fields: Record<string, string | Uint8Array>,
  method = "POST",
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers and check them with zod.
): Promise<{ status: number; json: any }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === "string") form.append(k, v);
    else form.append(k, new Blob([v as BlobPart]), "image.png");
  }
  const res = await instance.app.request(path, {
    method,
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, json: await res.json() };
}

describe("statuses write API", () => {
  it("posts a status with an uploaded image, reply, content warning, visibility and language", async () => {
    const { token } = await localUser(instance, "alice");
    const media = await upload("/api/v2/media", token, {
      file: await png(),
      description: "a blue field",
      focus: "0.5,-0.25",
    });
    expect(media.status).toBe(200);
    const attachment = E.expectEntity(E.MediaAttachment, media.json);
    expect(attachment.url).toMatch(/\/media\//);
    expect(media.json.meta.focus).toEqual({ x: 0.5, y: -0.25 });

    const parent = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "first #dusk" },
    });
    expect(parent.status).toBe(200);
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: {
        status: "with an image",
        media_ids: [attachment.id],
        in_reply_to_id: parent.json.id,
        spoiler_text: "blue",
        visibility: "unlisted",
        language: "en",
      },
    });
    expect(posted.status).toBe(200);
    const s = E.expectEntity(E.Status, posted.json);
    expect(s.in_reply_to_id).toBe(parent.json.id);
    expect(s.sensitive).toBe(true);
    expect(s.spoiler_text).toBe("blue");
    expect(s.visibility).toBe("unlisted");
    expect(s.language).toBe("en");
    expect(s.media_attachments.map((m) => m.id)).toEqual([attachment.id]);
    expect(s.media_attachments[0]!.description).toBe("a blue field");
    const again = await call(instance, "GET", `/api/v1/statuses/${parent.json.id}`, { token });
    expect(again.json.replies_count).toBe(1);
    expect(parent.json.tags).toEqual([expect.objectContaining({ name: "dusk" })]);
  });

  it("accepts form-encoded posts with media_ids[] as apps send them", async () => {
    const { token } = await localUser(instance, "alice");
    const media = await upload("/api/v1/media", token, { file: await png("#aa3300") });
    expect(media.status).toBe(200);
    const res = await instance.app.request("/api/v1/statuses", {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: `status=hello&media_ids[]=${media.json.id}&sensitive=true`,
    });
    expect(res.status).toBe(200);
    const s = E.expectEntity(E.Status, await res.json());
    expect(s.sensitive).toBe(true);
    expect(s.media_attachments).toHaveLength(1);
  });

  it("returns the first status for a repeated Idempotency-Key of the same user, not a duplicate", async () => {
    const { token } = await localUser(instance, "alice");
    const { token: other } = await localUser(instance, "bob");
    const post = (t: string, key: string) =>
      instance.app.request("/api/v1/statuses", {
        method: "POST",
        headers: {
          Authorization: `Bearer ${t}`,
          "Content-Type": "application/json",
          "Idempotency-Key": key,
        },
        body: JSON.stringify({ status: "only once" }),
      });
    const first = await (await post(token, "k1")).json();
    const second = await (await post(token, "k1")).json();
    const third = await (await post(token, "k2")).json();
    const bobs = await (await post(other, "k1")).json();
    expect(second.id).toBe(first.id);
    expect(third.id).not.toBe(first.id);
    expect(bobs.id).not.toBe(first.id);
    const me = await call(instance, "GET", "/api/v1/accounts/verify_credentials", { token });
    expect(me.json.statuses_count).toBe(2);
  });

  it("refuses bad posts with 422 and Mastodon's error shape, storing nothing", async () => {
    const { token } = await localUser(instance, "alice");
    const { token: readOnly } = await localUser(instance, "carol", "read");
    const empty = await call(instance, "POST", "/api/v1/statuses", { token, body: {} });
    expect(empty.status).toBe(422);
    E.expectEntity(E.ApiError, empty.json);
    const long = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "x".repeat(5001) },
    });
    expect(long.status).toBe(422);
    const badVisibility = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "x", visibility: "everyone" },
    });
    expect(badVisibility.status).toBe(422);
    const missingMedia = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "x", media_ids: ["123"] },
    });
    expect(missingMedia.status).toBe(422);
    expect(missingMedia.json.error).toMatch(/No such image/);
    const scope = await call(instance, "POST", "/api/v1/statuses", {
      token: readOnly,
      body: { status: "x" },
    });
    expect(scope.status).toBe(403);
    const anonymous = await call(instance, "POST", "/api/v1/statuses", { body: { status: "x" } });
    expect(anonymous.status).toBe(401);
    const me = await call(instance, "GET", "/api/v1/accounts/verify_credentials", { token });
    expect(me.json.statuses_count).toBe(0);
  });

  it("dates each version of the edit history by when it was made", async () => {
    const { token } = await localUser(instance, "alice");
    const pause = () => new Promise((resolve) => setTimeout(resolve, 15));
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "one" },
    });
    await pause();
    const first = await call(instance, "PUT", `/api/v1/statuses/${posted.json.id}`, {
      token,
      body: { status: "two" },
    });
    await pause();
    const second = await call(instance, "PUT", `/api/v1/statuses/${posted.json.id}`, {
      token,
      body: { status: "three" },
    });
    expect(second.status).toBe(200);
    const history = await call(instance, "GET", `/api/v1/statuses/${posted.json.id}/history`, {
      token,
    });
    expect(
      history.json.map((v: { content: string; created_at: string }) => [v.content, v.created_at]),
    ).toEqual([
      ["<p>one</p>", posted.json.created_at],
      ["<p>two</p>", first.json.edited_at],
      ["<p>three</p>", second.json.edited_at],
    ]);
    expect(first.json.edited_at).not.toBe(second.json.edited_at);
  });

  it("edits text and an attachment's alt text and focus, keeping history; others cannot", async () => {
    const { token } = await localUser(instance, "alice");
    const { token: bobToken } = await localUser(instance, "bob");
    const media = await upload("/api/v2/media", token, { file: await png() });
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "before", media_ids: [media.json.id] },
    });
    const edited = await call(instance, "PUT", `/api/v1/statuses/${posted.json.id}`, {
      token,
      body: {
        status: "after",
        spoiler_text: "cw",
        media_ids: [media.json.id],
        media_attributes: [{ id: media.json.id, description: "new alt", focus: "-1,1" }],
      },
    });
    expect(edited.status).toBe(200);
    const s = E.expectEntity(E.Status, edited.json);
    expect(s.content).toContain("after");
    expect(s.edited_at).not.toBeNull();
    expect(s.media_attachments[0]!.description).toBe("new alt");
    expect(edited.json.media_attachments[0].meta.focus).toEqual({ x: -1, y: 1 });
    const history = await call(instance, "GET", `/api/v1/statuses/${s.id}/history`, { token });
    expect(history.json).toHaveLength(2);
    const source = await call(instance, "GET", `/api/v1/statuses/${s.id}/source`, { token });
    expect(source.json.text).toBe("after");

    const changedSet = await call(instance, "PUT", `/api/v1/statuses/${s.id}`, {
      token,
      body: { status: "x", media_ids: [] },
    });
    expect(changedSet.status).toBe(422);
    const badFocus = await call(instance, "PUT", `/api/v1/statuses/${s.id}`, {
      token,
      body: { media_attributes: [{ id: media.json.id, focus: "2,0" }] },
    });
    expect(badFocus.status).toBe(422);
    const notMine = await call(instance, "PUT", `/api/v1/statuses/${s.id}`, {
      token: bobToken,
      body: { status: "hijack" },
    });
    expect(notMine.status).toBe(404);
    const unchanged = await call(instance, "GET", `/api/v1/statuses/${s.id}`, { token });
    expect(unchanged.json.content).toContain("after");
  });

  it("deletes a status and answers it with its source text for redraft", async () => {
    const { token } = await localUser(instance, "alice");
    const { token: bobToken } = await localUser(instance, "bob");
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "redraft me #art", spoiler_text: "cw" },
    });
    const refused = await call(instance, "DELETE", `/api/v1/statuses/${posted.json.id}`, {
      token: bobToken,
    });
    expect(refused.status).toBe(404);
    const deleted = await call(instance, "DELETE", `/api/v1/statuses/${posted.json.id}`, {
      token,
    });
    expect(deleted.status).toBe(200);
    const s = E.expectEntity(E.Status, deleted.json);
    expect(s.text).toBe("redraft me #art");
    expect(s.spoiler_text).toBe("cw");
    const gone = await call(instance, "GET", `/api/v1/statuses/${posted.json.id}`, { token });
    expect(gone.status).toBe(404);
    const twice = await call(instance, "DELETE", `/api/v1/statuses/${posted.json.id}`, { token });
    expect(twice.status).toBe(404);
  });
});

describe("media API", () => {
  it("gets and updates an unposted attachment, and hides it once posted", async () => {
    const { token } = await localUser(instance, "alice");
    const { token: bobToken } = await localUser(instance, "bob");
    const media = await upload("/api/v2/media", token, { file: await png() });
    const id = media.json.id;
    const got = await call(instance, "GET", `/api/v1/media/${id}`, { token });
    expect(got.status).toBe(200);
    E.expectEntity(E.MediaAttachment, got.json);
    const updated = await call(instance, "PUT", `/api/v1/media/${id}`, {
      token,
      form: { description: "alt text", focus: "0.1,0.2" },
    });
    expect(updated.status).toBe(200);
    expect(updated.json.description).toBe("alt text");
    expect(updated.json.meta.focus).toEqual({ x: 0.1, y: 0.2 });
    const badFocus = await call(instance, "PUT", `/api/v1/media/${id}`, {
      token,
      form: { focus: "left" },
    });
    expect(badFocus.status).toBe(400);
    const others = await call(instance, "GET", `/api/v1/media/${id}`, { token: bobToken });
    expect(others.status).toBe(404);
    await call(instance, "POST", "/api/v1/statuses", { token, body: { media_ids: [id] } });
    const posted = await call(instance, "GET", `/api/v1/media/${id}`, { token });
    expect(posted.status).toBe(404);
  });

  it("refuses a missing file, a non-image and a file over the size limit", async () => {
    const { token } = await localUser(instance, "alice");
    const none = await upload("/api/v2/media", token, { description: "nothing" });
    expect(none.status).toBe(422);
    const text = await upload("/api/v2/media", token, {
      file: new TextEncoder().encode("not an image"),
    });
    expect(text.status).toBe(422);
    E.expectEntity(E.ApiError, text.json);
    const small = await createTestInstance({ MEDIA_MAX_UPLOAD_MB: "1" });
    try {
      const { token: t } = await localUser(small, "alice");
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(2 * 1024 * 1024)]), "big.png");
      const res = await small.app.request("/api/v2/media", {
        method: "POST",
        headers: { Authorization: `Bearer ${t}` },
        body: form,
      });
      expect(res.status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it("sets the avatar and header from a multipart update_credentials", async () => {
    const { token } = await localUser(instance, "alice");
    const res = await upload(
      "/api/v1/accounts/update_credentials",
      token,
      {
        avatar: await png("#ff0000", 400, 400),
        header: await png("#00ff00", 1500, 500),
        display_name: "Alice",
      },
      "PATCH",
    );
    expect(res.status).toBe(200);
    const me = E.expectEntity(E.CredentialAccount, res.json);
    expect(me.display_name).toBe("Alice");
    expect(me.avatar).toMatch(new RegExp(`^${instance.config.origin}/media/`));
    expect(me.header).toMatch(new RegExp(`^${instance.config.origin}/media/`));
    // Pruning unposted media keeps avatars and headers (they belong to no status but are in use).
    await pruneMedia(instance.deps.db, instance.deps.media.store, new Date(Date.now() + 60_000));
    const file = await instance.app.request(new URL(me.avatar).pathname);
    expect(file.status).toBe(200);
    const header = await instance.app.request(new URL(me.header).pathname);
    expect(header.status).toBe(200);
    const bad = await upload(
      "/api/v1/accounts/update_credentials",
      token,
      { avatar: new TextEncoder().encode("nope") },
      "PATCH",
    );
    expect(bad.status).toBe(422);
  });

  it("keeps a picture whose file part arrives empty, as a browser sends an untouched file input", async () => {
    const { token } = await localUser(instance, "alice");
    const first = await upload(
      "/api/v1/accounts/update_credentials",
      token,
      { avatar: await png("#ff0000", 400, 400) },
      "PATCH",
    );
    expect(first.status).toBe(200);
    const form = new FormData();
    form.append("display_name", "Alice Renamed");
    form.append("avatar", new Blob([], { type: "application/octet-stream" }), "");
    form.append("header", new Blob([]), "");
    const res = await instance.app.request("/api/v1/accounts/update_credentials", {
      method: "PATCH",
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(200);
    const me = E.expectEntity(E.CredentialAccount, await res.json());
    expect(me.display_name).toBe("Alice Renamed");
    expect(me.avatar).toBe(first.json.avatar);
    expect(me.header).toBe(first.json.header);
  });
});

describe("replying to a post the replier may not see", () => {
  it("answers a reply to a followers-only or direct post exactly as one to an unknown id", async () => {
    const alice = await localUser(instance, "alice");
    const bob = await localUser(instance, "bob");
    const carol = await localUser(instance, "carol");
    await follow(instance, carol.account, alice.account);
    const post = async (visibility: string) =>
      (
        await call(instance, "POST", "/api/v1/statuses", {
          token: alice.token,
          body: { status: `secret ${visibility}`, visibility },
        })
      ).json.id as string;
    const priv = await post("private");
    const direct = await post("direct");
    const reply = (token: string, inReplyTo: string) =>
      call(instance, "POST", "/api/v1/statuses", {
        token,
        body: { status: "hello", in_reply_to_id: inReplyTo },
      });
    const unknown = await reply(bob.token, String(BigInt(priv) + 1000n));
    expect(unknown.status).toBe(404);
    for (const id of [priv, direct]) {
      const res = await reply(bob.token, id);
      expect({ status: res.status, json: res.json }).toEqual({
        status: unknown.status,
        json: unknown.json,
      });
    }
    const count = await call(instance, "GET", `/api/v1/statuses/${priv}`, { token: alice.token });
    expect(count.json.replies_count).toBe(0);
    // A follower may reply to the followers-only post.
    const allowed = await reply(carol.token, priv);
    expect(allowed.status).toBe(200);
    expect(allowed.json.in_reply_to_id).toBe(priv);
  });
});
