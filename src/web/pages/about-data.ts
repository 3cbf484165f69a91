// The consent and transparency page: what the instance stores about a user, what goes to an AI provider
// (from the provider in use), the dataset and crawler policies in force, and the visitor's own choices.
// Every variable sentence comes from the facts passed in, so the page says what the code does.
import { html } from "hono/html";
import type { CrawlerPolicy } from "../../domain/data-mining.ts";
import type { ProviderCall, ProviderDisclosure } from "../../generation/disclosure.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

export interface AboutDataFacts {
  provider: ProviderDisclosure;
  policy: CrawlerPolicy;
  /**
   * Dataset exports made so far, or null where this server has no way to make one (then none was ever
   * made).
   */
  exports: { made: number; lastAt: Date | null } | null;
  /** The signed-in visitor's choice; null for anyone else. */
  consent: boolean | null;
}

const CALLS: Record<ProviderCall, string> = {
  moderate_prompt:
    "Before anything is generated, your prompt goes to the provider's moderation check.",
  generate:
    "When you press Generate: your prompt, your negative prompt, and the model, size, quality and number of images you chose.",
  edit: "When you edit an image: that image (and the region you marked to change), with the prompt and settings above.",
  moderate_image:
    "Each generated image is sent back to the provider's moderation check before it may be posted.",
  describe:
    "When a description (alt text) is drafted for an image: the image and the prompt it was made from.",
};

function providerSection(p: ProviderDisclosure): Html {
  if (!p.external) {
    return html`<p>Images are made <strong>on this server</strong> by a built-in generator. Your prompts and images do not leave this server when you generate.</p>`;
  }
  return html`<p>Images are made by an OpenAI-compatible service at <strong>${p.host}</strong>. This is what it receives:</p>
  <ul>${p.calls.map((call) => html`<li>${CALLS[call]}</li>`)}</ul>
  <p>Nothing else about you (not your name, e-mail address or posts) is sent. The provider's own privacy policy applies to what it receives.</p>`;
}

function datasetsSection(facts: AboutDataFacts): Html {
  const e = facts.exports;
  const made =
    e === null
      ? html`<p>This server has no way to export datasets: no dataset has ever been made from it.</p>`
      : e.made === 0
        ? html`<p>No dataset has been exported from this server's admin page.</p>`
        : html`<p>${e.made === 1 ? "One dataset has" : `${e.made} datasets have`} been exported from this server's admin page${
            e.lastAt
              ? html`, the last on <time datetime="${e.lastAt.toISOString()}">${e.lastAt.toISOString().slice(0, 10)}</time>`
              : ""
          }.</p>`;
  return html`${made}
  <p>An export holds only the public AI-generated images and prompts of members who allowed it and chose a licence; the administrator can also export from the command line, which this page does not count.</p>
  <p>Settings records <strong>whether you allow it</strong>: your public prompts and images in datasets exported from this server. It is off unless you turn it on, and you can turn it off at any time. Only people who signed up here can allow it: posts from other servers are never exported, whatever their servers say.</p>`;
}

function crawlersSection(policy: CrawlerPolicy): Html {
  return html`<p>This server answers crawlers that gather text and images for AI in three ways:</p>
  <ul>
    <li><strong><a href="/robots.txt">robots.txt</a></strong> asks ${
      policy.aiCrawlers.length === 0
        ? "no AI crawler to stay away: the administrator emptied the list"
        : html`these AI crawlers to stay off the whole site (${
            policy.aiCrawlersEdited ? "the administrator's list" : "Atelier's default list"
          }): ${policy.aiCrawlers.join(", ")}`
    }. Other crawlers, such as search engines, may read it. A crawler that ignores robots.txt is not stopped by it.</li>
    <li><strong>Text and data mining reservation</strong> (<a href="https://www.w3.org/community/reports/tdmrep/CG-FINAL-tdmrep-20240510/">W3C TDMRep</a>): the profile, posts and images of anyone who has not allowed datasets say <code>tdm-reservation: 1</code>, with <code>noai, noimageai</code> in the page; those of people who allowed it say 0. The pages that belong to no one user (explore, hashtags, about) ${
      policy.instancePagesReserved ? "are reserved" : "are not reserved"
    }, by the administrator's choice. The list is at <a href="/.well-known/tdmrep.json">/.well-known/tdmrep.json</a>.</li>
    <li><strong>Your profile</strong> tells other servers your choice about datasets (<code>aiDatasetConsent</code> in the actor document).</li>
  </ul>
  <p>These are requests, not locks: anyone can still read what is public.</p>`;
}

function yourChoices(consent: boolean | null): Html {
  if (consent === null) {
    return html`<p><a href="/auth/sign_in">Sign in</a> to see your own choices here.</p>`;
  }
  return html`<p class="notice">Your current choice: <strong>${consent ? "allowed in datasets" : "not allowed in datasets"}</strong>. ${
    consent
      ? "Your profile, posts and images say they are not reserved from text and data mining (tdm-reservation: 0), and your profile tells other servers you allow datasets. The AI crawlers in robots.txt are still asked to stay away."
      : "Your profile, posts and images say they are reserved from text and data mining (tdm-reservation: 1, noai, noimageai), and your profile tells other servers you do not allow datasets."
  } <a href="/settings">Change it in settings</a>.</p>`;
}

export function aboutDataPage(v: View, facts: AboutDataFacts): Html {
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
  ${providerSection(facts.provider)}

  <h2>What other servers see</h2>
  <p>Posts you make public or followers-only are sent to the servers of the people who may see them (Mastodon and others), with the prompt and model shown under AI images. Followers-only posts are only sent to your followers' servers. Deleting a post asks those servers to delete their copy.</p>

  <h2>Datasets</h2>
  ${datasetsSection(facts)}

  <h2>AI crawlers</h2>
  ${crawlersSection(facts.policy)}

  <h2>Your choices</h2>
  ${yourChoices(facts.consent)}

  <h2>Your rights</h2>
  <p>You can change or delete your posts, and download a copy of everything you made here (profile, posts, prompts and images) from <a href="/settings">settings</a>. You can delete your account yourself from <a href="/settings">settings</a> (your password and a confirmation are asked): your posts, images, follows, likes and sessions are removed, other servers are asked to delete their copies, and your username is never given out again.</p>
</article>`,
  );
}
