// The gate of every admin API endpoint: the token's scope, and an administrator behind it.
import type { MiddlewareHandler } from "hono";
import { isAdministrator } from "../../../domain/admin-accounts.ts";
import { AppError } from "../../../errors.ts";
import { requireScope, viewerId } from "../../middleware.ts";
import type { ApiDeps, ApiEnv } from "../../types.ts";

/** The scope an admin endpoint needs, and that its caller is an administrator. */
export function requireAdmin(deps: ApiDeps, scope: string): MiddlewareHandler<ApiEnv> {
  // admin:read grants admin:read:accounts and the like (domain/scopes.ts).
  const scoped = requireScope(scope);
  return async (c, next) =>
    await scoped(c, async () => {
      if (!(await isAdministrator(deps.db, viewerId(c)))) {
        throw new AppError("forbidden", "This action is not allowed");
      }
      await next();
    });
}
