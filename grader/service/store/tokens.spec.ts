import { parse } from "csv-parse/sync";
import { issuedCsv } from "./roster";
import { hashToken, newToken, tokenMatches } from "./tokens";

test("a token is 32 letters and digits, every one of the 62 drawn, none repeated in 2,000", () => {
  const tokens = Array.from({ length: 2000 }, newToken);
  for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9]{32}$/);
  expect(new Set(tokens).size).toBe(2000);
  expect(new Set(tokens.join("")).size).toBe(62);
});

test("tokens come back from the tokens CSV exactly as issued, so the mail merge sends working ones", () => {
  const issued = Array.from({ length: 500 }, (_, i) => ({
    email: `l${i}@example.org`,
    name: `=L${i}`,
    token: newToken(),
  }));
  const rows: { email: string; name: string; token: string }[] = parse(issuedCsv(issued), { columns: true });
  expect(rows.map((r) => r.token)).toEqual(issued.map((i) => i.token));
  for (const r of rows.slice(0, 20)) expect(tokenMatches(r.token, hashToken(issued[rows.indexOf(r)].token))).toBe(true);
  expect(rows[0].name).toBe("'=L0"); // a formula in a name is still neutralised
});
