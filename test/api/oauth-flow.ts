// Drives the sign-in and consent pages like a browser would: fetch the authorize page, keep its CSRF
// cookie, post the sign-in form with the hidden fields it rendered, then press Authorize (or Deny).
import { createHash, randomBytes } from "node:crypto";

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** The hidden inputs of the first form of a page. */
export function formFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  const decode = (s: string) =>
    s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    out[decode(m[1]!)] = decode(m[2]!);
  }
  return out;
}

type Fetch = (path: string, init?: RequestInit) => Promise<Response> | Response;

export interface AuthorizeResult {
  /** The final response (a redirect, the oob code page, or an error page). */
  response: Response;
  body: string;
  code: string | null;
}

/** Runs authorize → sign in → decide with a fetch-like function (in-process app or real HTTP). */
export async function authorize(
  fetcher: Fetch,
  query: Record<string, string>,
  credentials: { username: string; password: string },
  decision: "authorize" | "deny" = "authorize",
): Promise<AuthorizeResult> {
  const page = await fetcher(`/oauth/authorize?${new URLSearchParams(query)}`);
  const pageHtml = await page.text();
  if (page.status !== 200) return { response: page, body: pageHtml, code: null };
  const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0]!;
  const post = async (fields: Record<string, string>) =>
    fetcher("/oauth/authorize", {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
      body: new URLSearchParams(fields).toString(),
    });
  const signIn = await post({ ...formFields(pageHtml), ...credentials });
  const consentHtml = await signIn.text();
  if (signIn.status !== 200) return { response: signIn, body: consentHtml, code: null };
  const final = await post({ ...formFields(consentHtml), decision });
  const body = await final.text();
  const location = final.headers.get("location");
  const code =
    location !== null
      ? new URL(location).searchParams.get("code")
      : (/<code id="authorization-code">([^<]+)<\/code>/.exec(body)?.[1] ?? null);
  return { response: final, body, code };
}
