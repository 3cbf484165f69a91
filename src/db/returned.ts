// The row an INSERT … RETURNING (or an UPDATE or DELETE known to match) gave back. Both drivers answer
// a list; a statement that was sure to touch a row and returned none means the database broke that
// promise, which is an error, not an empty answer.
export function returned<T>(rows: T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error("the statement returned no row");
  return row;
}
