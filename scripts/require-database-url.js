// `npm run test:pg` needs a real PostgreSQL server: stop with one clear line when DATABASE_URL is
// not a postgres:// (or postgresql://) URL.
const url = process.env.DATABASE_URL ?? "";
if (!/^postgres(ql)?:\/\/.+/.test(url)) {
  console.error(
    `DATABASE_URL must be a postgres:// URL for npm run test:pg (got ${url ? `"${url.split("://")[0]}://…"` : "nothing"}); for example DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres`,
  );
  process.exit(1);
}
