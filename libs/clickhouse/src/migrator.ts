import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from '@gatehouse/observability';

export interface MigrateOptions {
  database: string;
  /** Folder of NNN_name.sql files; default: the migrations folder beside this file. */
  dir?: string;
  /** Values for {{name}} placeholders (config values, never user input). {{database}} is always set. */
  vars?: Record<string, string | number>;
  logger?: Logger;
}

const FILE = /^\d{3}_[A-Za-z0-9_.-]+\.sql$/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const UNSAFE_VALUE = /[;'"`\\\n\r]|--|\/\*/;

/** Replaces {{name}} placeholders; an unknown placeholder or a value that could break out of SQL is an error. */
export function substitute(sql: string, vars: Record<string, string | number>, file: string): string {
  return sql.replace(PLACEHOLDER, (_, name: string) => {
    if (!Object.hasOwn(vars, name)) throw new Error(`migration ${file}: unknown placeholder {{${name}}}`);
    const v = String(vars[name]);
    if (UNSAFE_VALUE.test(v)) throw new Error(`migration ${file}: value of {{${name}}} contains characters not allowed in a migration variable`);
    return v;
  });
}

/** Splits a migration into statements: a statement ends with ';' at the end of a line; whole-line -- comments are skipped. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  for (const line of sql.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('--')) continue;
    if (t.endsWith(';')) {
      current.push(line.replace(/;\s*$/, ''));
      out.push(current.join('\n').trim());
      current = [];
    } else {
      current.push(line);
    }
  }
  const rest = current.join('\n').trim();
  if (rest) out.push(rest);
  return out.filter((s) => s !== '');
}

const checksum = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Applies, in name order, every NNN_*.sql migration of dir not yet recorded in <database>.schema_migrations,
 * statement by statement, recording each with its checksum. A recorded migration whose file changed is an
 * error naming it. Returns the names applied by this call (empty when up to date).
 */
export async function runMigrations(client: ClickHouseClient, opts: MigrateOptions): Promise<string[]> {
  const db = opts.database;
  if (!IDENT.test(db)) throw new Error(`migrations: invalid database name ${JSON.stringify(db)}`);
  const dir = opts.dir ?? join(__dirname, 'migrations');
  const vars = { ...(opts.vars ?? {}), database: db };
  const files = (await readdir(dir)).filter((f) => FILE.test(f)).sort();

  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (name String, checksum String, applied_at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY name`,
  });
  const rows = await (await client.query({ query: `SELECT name, checksum FROM ${db}.schema_migrations`, format: 'JSONEachRow' })).json<{ name: string; checksum: string }>();
  const applied = new Map(rows.map((r) => [r.name, r.checksum]));

  const done: string[] = [];
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8');
    const sum = checksum(text);
    const recorded = applied.get(file);
    if (recorded !== undefined) {
      if (recorded !== sum) throw new Error(`migration ${file} was changed after it was applied (checksum ${recorded.slice(0, 12)} → ${sum.slice(0, 12)}); add a new migration instead`);
      continue;
    }
    const statements = splitStatements(substitute(text, vars, file));
    for (const [i, query] of statements.entries()) {
      try {
        await client.command({ query });
      } catch (e) {
        throw new Error(`migration ${file}, statement ${i + 1} of ${statements.length} failed: ${(e as Error).message}`);
      }
    }
    await client.insert({
      table: `${db}.schema_migrations`,
      values: [{ name: file, checksum: sum, applied_at: Date.now() }],
      format: 'JSONEachRow',
    });
    opts.logger?.info({ migration: file, statements: statements.length }, 'clickhouse migration applied');
    done.push(file);
  }
  return done;
}
