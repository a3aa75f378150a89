/**
 * Sums the statements a PostgreSQL server logged with their durations (`log_min_duration_statement
 * = 0`, as `bench:ingest --log-statements` sets on its database) between two times, grouped by
 * the statement's first words: count, total and mean milliseconds, largest total first.
 *
 *   node bench/statement-log-summary.mjs /var/log/postgresql/postgresql-15-main.log FROM TO
 * FROM and TO are ISO times (UTC), as the bench prints them. The server's log lines must start
 * with the time (Debian's `log_line_prefix`, '%m [%p] %q%u@%d ').
 */
import fs from 'node:fs';
import readline from 'node:readline';

const [file, from, to] = process.argv.slice(2);
const start = Date.parse(from);
const end = Date.parse(to);
const groups = new Map();
let total = 0;
const lines = readline.createInterface({ input: fs.createReadStream(file) });
for await (const line of lines) {
  const m = /^(\S+ \S+) UTC \[\d+\] (?:\S+ )?LOG: {2}duration: ([\d.]+) ms {2}(.*)$/.exec(line);
  if (!m) continue;
  const at = Date.parse(`${m[1].replace(' ', 'T')}Z`);
  if (at < start || at > end) continue;
  // The phase (parse/bind/execute of a prepared statement, or a simple statement) and the
  // statement's first words, without names of prepared statements or literal values.
  const text = m[3]
    .replace(/^(parse|bind|execute) [^:]*:/, '$1:')
    .replace(/\s+/g, ' ')
    .slice(0, 90);
  const g = groups.get(text) ?? { count: 0, ms: 0 };
  g.count += 1;
  g.ms += Number(m[2]);
  groups.set(text, g);
  total += Number(m[2]);
}
const rows = [...groups.entries()].sort((a, b) => b[1].ms - a[1].ms);
console.log(`${rows.reduce((n, [, g]) => n + g.count, 0)} logged phases, ${total.toFixed(0)} ms`);
for (const [text, g] of rows.slice(0, 40))
  console.log(
    `${g.ms.toFixed(0).padStart(7)} ms ${String(g.count).padStart(6)}× ${(g.ms / g.count).toFixed(3).padStart(8)} ms  ${text}`,
  );
