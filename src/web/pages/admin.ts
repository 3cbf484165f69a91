// The administration page: the instance's users (generation spending, domain blocks and reports come later).
import { html } from "hono/html";
import type { LocalUserSummary } from "../../domain/accounts.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

export function adminPage(v: View, users: LocalUserSummary[]): Html {
  return layout(
    v,
    { title: "Administration", noindex: true },
    html`<section class="panel">
  <h1>Administration</h1>
  <h2 id="users-title">Users (${users.length})</h2>
  <div class="table-wrap">
  <table aria-labelledby="users-title">
    <thead><tr><th scope="col">Username</th><th scope="col">Role</th><th scope="col">Posts</th><th scope="col">Joined</th></tr></thead>
    <tbody>
    ${users.map(
      (u) => html`<tr>
      <th scope="row"><a href="/@${u.username}">@${u.username}</a></th>
      <td>${u.admin ? "Administrator" : "User"}</td>
      <td>${u.statusesCount}</td>
      <td><time datetime="${u.createdAt.toISOString()}">${u.createdAt.toISOString().slice(0, 10)}</time></td>
    </tr>`,
    )}
    </tbody>
  </table>
  </div>
  <p class="muted">Create users with <code>npm run cli -- user create NAME</code>.</p>
</section>`,
  );
}
