// The consent and transparency page: what the instance stores about a user and what goes to an AI provider.
import { html } from "hono/html";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

export function aboutDataPage(
  v: View,
  provider: { name: string; external: boolean },
  consent: boolean | null,
): Html {
  return layout(
    v,
    { title: "Your data and AI", description: `What ${v.instanceName} stores and shares.` },
    html`<article class="panel prose-page">
  <h1>Your data and AI</h1>
  <p>This page says plainly what ${v.instanceName} keeps about you and what leaves this server.</p>

  <h2>What this server stores</h2>
  <ul>
    <li><strong>Your account:</strong> username, display name, bio, profile fields, avatar and header, an optional e-mail address, and your password as an argon2id hash (never the password itself).</li>
    <li><strong>Your posts:</strong> text, images, alt text, content warnings and who may see each post.</li>
    <li><strong>Your prompts:</strong> every prompt (and negative prompt) you generate with, the model used and the images it made, including candidates you did not post.</li>
    <li><strong>Your activity:</strong> who you follow and who follows you, likes, boosts and notifications.</li>
    <li><strong>Sign-in sessions:</strong> a hashed session token, your browser's name and IP address, so you can stay signed in and we can stop abuse. Sessions end after 30 days without use.</li>
  </ul>

  <h2>What goes to an AI provider</h2>
  ${
    provider.external
      ? html`<p>Images are made by <strong>${provider.name}</strong>. When you press Generate, your prompt, negative prompt and the chosen size and model are sent to that provider. Nothing else about you (not your name, e-mail or posts) is sent. The provider's own privacy policy applies to what it receives.</p>`
      : html`<p>Images are made <strong>on this server</strong> by a built-in generator. Your prompts do not leave this server when you generate.</p>`
  }

  <h2>What other servers see</h2>
  <p>Posts you make public or followers-only are sent to the servers of the people who may see them (Mastodon and others), with the prompt and model shown under AI images. Followers-only posts are only sent to your followers' servers. Deleting a post asks those servers to delete their copy.</p>

  <h2>Datasets</h2>
  <p>This server has no way to export datasets of prompts and images today. Settings lets you record <strong>whether you allow it</strong> should it ever be added; it is off unless you turn it on, and you can turn it off at any time.</p>
  ${
    consent === null
      ? ""
      : html`<p class="notice">Your current choice: <strong>${consent ? "allowed in datasets" : "not allowed in datasets"}</strong>. <a href="/settings">Change it in settings</a>.</p>`
  }

  <h2>Your rights</h2>
  <p>You can change or delete your posts, and download a copy of everything you made here (profile, posts, prompts and images) from <a href="/settings">settings</a>. You can delete your account yourself from <a href="/settings">settings</a> (your password and a confirmation are asked): your posts, images, follows, likes and sessions are removed, other servers are asked to delete their copies, and your username is never given out again.</p>
</article>`,
  );
}
