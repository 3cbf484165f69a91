// The server-rendered pages of the authorization flow: sign in, consent, the out-of-band code and errors.
// Every value is HTML-escaped; the pages load nothing from elsewhere.

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}
label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
button{padding:.5rem 1rem;margin:1rem .5rem 0 0}.error{color:#a00}code{word-break:break-all;font-size:1.1rem}
ul{padding-left:1.2rem}</style></head><body>${body}</body></html>`;
}

const hidden = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("\n");

export function signInPage(input: {
  instanceName: string;
  appName: string;
  fields: Record<string, string>;
  username?: string;
  error?: string;
}): string {
  return layout(
    `Sign in – ${input.instanceName}`,
    `<h1>Sign in to ${escapeHtml(input.instanceName)}</h1>
<p><strong>${escapeHtml(input.appName)}</strong> asks to use your account.</p>
${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ""}
<form method="post" action="/oauth/authorize">
${hidden({ ...input.fields, step: "sign_in" })}
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" required value="${escapeHtml(input.username ?? "")}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}

/** The second sign-in step when two-factor sign-in is on. */
export function secondFactorPage(input: {
  instanceName: string;
  appName: string;
  fields: Record<string, string>;
  error?: string;
}): string {
  return layout(
    `Two-factor sign-in – ${input.instanceName}`,
    `<h1>Two-factor sign-in</h1>
<p><strong>${escapeHtml(input.appName)}</strong> asks to use your account.</p>
${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ""}
<form method="post" action="/oauth/authorize">
${hidden({ ...input.fields, step: "second_factor" })}
<label for="code">Code from your authenticator app, or a recovery code</label>
<input type="text" id="code" name="code" autocomplete="one-time-code" required maxlength="64">
<button type="submit">Sign in</button>
</form>`,
  );
}

export function consentPage(input: {
  instanceName: string;
  appName: string;
  website: string | null;
  username: string;
  scopes: string[];
  fields: Record<string, string>;
}): string {
  return layout(
    `Authorize ${input.appName}`,
    `<h1>Authorize ${escapeHtml(input.appName)}?</h1>
<p>Signed in as <strong>@${escapeHtml(input.username)}</strong>.
${input.website ? `The application's website is ${escapeHtml(input.website)}.` : ""}</p>
<p>It will be able to:</p>
<ul>${input.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("")}</ul>
<form method="post" action="/oauth/authorize">
${hidden({ ...input.fields, step: "decide" })}
<button type="submit" name="decision" value="authorize">Authorize</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

export function codePage(code: string): string {
  return layout(
    "Authorization code",
    `<h1>Authorization code</h1><p>Copy this code and paste it into the application:</p>
<p><code id="authorization-code">${escapeHtml(code)}</code></p>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p class="error">${escapeHtml(message)}</p>`);
}
