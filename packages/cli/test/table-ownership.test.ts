/**
 * Each area's migrations touch only the tables that area owns (issue 11). Every area declares its
 * tables next to its migrations (`STORE_TABLES`, `IDENTITY_TABLES`, `PAYMENT_TABLES`, `AUDIT_TABLES`,
 * `CONSOLE_TABLES`, collected in `PLATFORM_AREAS`). Two checks:
 * 1. static: every migration's `up` and `down` run against a Kysely that records the SQL instead of
 *    executing it; each CREATE/ALTER/DROP TABLE, CREATE/DROP INDEX, CREATE/DROP TRIGGER, REFERENCES
 *    and write (INSERT/UPDATE/DELETE/TRUNCATE, function bodies included) must target a table of the
 *    declaring area, or be one of the `EXCEPTIONS` below, each with its reason;
 * 2. live: after every migration on a fresh in-memory PGlite, each table of the schema is declared by
 *    exactly one area, and each index and trigger on it is one the static scan saw created by an area
 *    allowed to (so SQL the scan cannot parse cannot slip past it).
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { openStore } from "@yibao/store";
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from "kysely";
import { describe, expect, it } from "vitest";
import { PLATFORM_AREAS, PLATFORM_MIGRATIONS } from "../src/platform.js";

/** An object (index or trigger) an area keeps on another area's table, with the reason. */
interface Exception {
  readonly area: string;
  readonly object: string;
  readonly table: string;
  readonly reason: string;
}

/**
 * The justified exceptions: the areas downstream of the store keep indexes and triggers on its
 * `settlement_list` (the integration point every area reads). One line of reason each.
 */
const EXCEPTIONS: readonly Exception[] = [
  {
    area: "payment",
    object: "payment_settlement_list_period_person",
    table: "settlement_list",
    reason: "settlePeriod's keyset pages by person (0100; replaced by the partial index in 0101)",
  },
  {
    area: "payment",
    object: "payment_settlement_list_accepted_keyset",
    table: "settlement_list",
    reason: "settlePeriod's keyset pages of accepted lists, read in index order",
  },
  {
    area: "payment",
    object: "payment_list_cost_insert",
    table: "settlement_list",
    reason: "keeps payment_list_cost (payment's) in step with every list stored",
  },
  {
    area: "payment",
    object: "payment_list_cost_update",
    table: "settlement_list",
    reason: "keeps payment_list_cost (payment's) in step with every list replaced",
  },
  {
    area: "audit",
    object: "audit_settlement_list_period_person",
    table: "settlement_list",
    reason: "auditPeriod's keyset pages by person (before the projection of 0201)",
  },
  {
    area: "audit",
    object: "audit_settlement_list_dscg",
    table: "settlement_list",
    reason: "the audit's history window by discharge date",
  },
  {
    area: "audit",
    object: "audit_list_projection_sync",
    table: "settlement_list",
    reason: "kept audit_list_projection (audit's) per row (0201; replaced per statement in 0202)",
  },
  {
    area: "audit",
    object: "audit_list_projection_insert",
    table: "settlement_list",
    reason: "keeps audit_list_projection (audit's) in step with every list stored",
  },
  {
    area: "audit",
    object: "audit_list_projection_update",
    table: "settlement_list",
    reason: "keeps audit_list_projection (audit's) in step with every list replaced",
  },
  {
    area: "audit",
    object: "audit_list_projection_delete",
    table: "settlement_list",
    reason: "removes a deleted list's audit_list_projection row",
  },
  {
    area: "console",
    object: "console_settlement_list_patient_adm",
    table: "settlement_list",
    reason: "the cube refresh's readmission look-up (next admission of the same patient)",
  },
  {
    area: "console",
    object: "console_settlement_list_received",
    table: "settlement_list",
    reason: "the cube's freshness check (latest upload)",
  },
  {
    area: "console",
    object: "console_settlement_list_hospital_received",
    table: "settlement_list",
    reason: "the list page: a hospital's newest lists",
  },
  {
    area: "console",
    object: "console_settlement_list_flagged",
    table: "settlement_list",
    reason: "the list page: lists with findings or refused (partial index)",
  },
  {
    area: "console",
    object: "console_settlement_list_setl_id_prefix",
    table: "settlement_list",
    reason: "the list page: search by setl_id prefix",
  },
  {
    area: "console",
    object: "console_settlement_list_medcasno_prefix",
    table: "settlement_list",
    reason: "the list page: search by medcasno prefix",
  },
];

/** What one statement does to one table. */
interface Touch {
  readonly op: string;
  readonly table: string;
  /** The index or trigger, for operations on one. */
  readonly object: string | null;
}

/** Runs a migration step against a Kysely that records its SQL instead of executing it. */
async function recordedSql(step: (db: Kysely<unknown>) => Promise<void>): Promise<string[]> {
  const statements: string[] = [];
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (d) => new PostgresIntrospector(d),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      statements.push(event.query.sql);
    },
  });
  await step(db);
  await db.destroy();
  return statements;
}

const ID = String.raw`(\w+)`;

/**
 * The tables a statement touches, with function bodies (dynamic SQL included): identifiers unquoted,
 * schema qualifiers (`%1$I.`, `public.`) dropped. `indexTable` resolves DROP INDEX to the table the
 * index was created on.
 */
export function touches(statement: string, indexTable: ReadonlyMap<string, string>): Touch[] {
  const s = statement
    .replace(/"/g, "")
    .replace(/%\d+\$I\./g, "")
    .replace(/\b\w+\.(?=\w)/g, (m) => (/^\d/.test(m) ? m : ""))
    .replace(/\s+/g, " ");
  const out: Touch[] = [];
  const each = (re: RegExp, f: (m: RegExpExecArray) => Touch | null) => {
    for (const m of s.matchAll(new RegExp(re.source, "gi"))) {
      const t = f(m as RegExpExecArray);
      if (t) out.push(t);
    }
  };
  each(new RegExp(`CREATE TABLE (?:IF NOT EXISTS )?${ID}`), (m) => ({
    op: "CREATE TABLE",
    table: m[1] as string,
    object: null,
  }));
  each(new RegExp(`ALTER TABLE (?:IF EXISTS )?(?:ONLY )?${ID}`), (m) => ({
    op: "ALTER TABLE",
    table: m[1] as string,
    object: null,
  }));
  each(new RegExp(`DROP TABLE (?:IF EXISTS )?${ID}`), (m) => ({
    op: "DROP TABLE",
    table: m[1] as string,
    object: null,
  }));
  each(new RegExp(`TRUNCATE (?:TABLE )?(?:ONLY )?${ID}`), (m) => ({
    op: "TRUNCATE",
    table: m[1] as string,
    object: null,
  }));
  each(
    new RegExp(`CREATE (?:UNIQUE )?INDEX (?:CONCURRENTLY )?(?:IF NOT EXISTS )?${ID} ON (?:ONLY )?${ID}`),
    (m) => ({ op: "CREATE INDEX", table: m[2] as string, object: m[1] as string }),
  );
  each(new RegExp(`DROP INDEX (?:CONCURRENTLY )?(?:IF EXISTS )?${ID}`), (m) => ({
    op: "DROP INDEX",
    table: indexTable.get(m[1] as string) ?? `(unknown index ${m[1]})`,
    object: m[1] as string,
  }));
  each(
    new RegExp(
      `CREATE (?:OR REPLACE )?(?:CONSTRAINT )?TRIGGER ${ID} (?:BEFORE|AFTER|INSTEAD OF) [\\w ]+? ON ${ID}`,
    ),
    (m) => ({ op: "CREATE TRIGGER", table: m[2] as string, object: m[1] as string }),
  );
  each(new RegExp(`DROP TRIGGER (?:IF EXISTS )?${ID} ON ${ID}`), (m) => ({
    op: "DROP TRIGGER",
    table: m[2] as string,
    object: m[1] as string,
  }));
  each(new RegExp(`CREATE (?:OR REPLACE )?VIEW ${ID}`), (m) => ({
    op: "CREATE VIEW",
    table: m[1] as string,
    object: null,
  }));
  each(new RegExp(`DROP VIEW (?:IF EXISTS )?${ID}`), (m) => ({
    op: "DROP VIEW",
    table: m[1] as string,
    object: null,
  }));
  // A view is a read contract its area publishes: it reads only that area's tables.
  if (/^\s*CREATE (?:OR REPLACE )?VIEW\b/i.test(s)) {
    each(new RegExp(`\\b(?:FROM|JOIN) ${ID}`), (m) => ({
      op: "VIEW READS",
      table: m[1] as string,
      object: null,
    }));
  }
  each(new RegExp(`\\bREFERENCES ${ID}`), (m) => ({ op: "REFERENCES", table: m[1] as string, object: null }));
  each(new RegExp(`\\bINSERT INTO ${ID}`), (m) => ({ op: "INSERT", table: m[1] as string, object: null }));
  each(new RegExp(`\\bUPDATE ${ID} SET\\b`), (m) => ({ op: "UPDATE", table: m[1] as string, object: null }));
  each(new RegExp(`\\bDELETE FROM ${ID}`), (m) => ({ op: "DELETE", table: m[1] as string, object: null }));
  return out;
}

/** A touch that breaks ownership, as one readable line. */
interface Violation {
  readonly area: string;
  readonly migration: string;
  readonly op: string;
  readonly table: string;
  readonly object: string | null;
}

interface Scan {
  readonly violations: Violation[];
  readonly usedExceptions: Set<Exception>;
  /** Index and trigger names created by some area's migration → that area. */
  readonly createdBy: Map<string, string>;
}

/** Scans the migrations of the given areas (up, then down) in the platform's order. */
async function scan(
  areas: readonly {
    readonly owned: {
      readonly area: string;
      readonly current: readonly string[];
      readonly retired: readonly string[];
    };
    readonly migrations: readonly {
      name: string;
      up(db: Kysely<unknown>): Promise<void>;
      down?(db: Kysely<unknown>): Promise<void>;
    }[];
  }[],
): Promise<Scan> {
  const indexTable = new Map<string, string>();
  const createdBy = new Map<string, string>();
  const violations: Violation[] = [];
  const usedExceptions = new Set<Exception>();
  for (const { owned, migrations } of areas) {
    const mine = new Set([...owned.current, ...owned.retired]);
    for (const m of migrations) {
      const steps: [string, (db: Kysely<unknown>) => Promise<void>][] = [[`${m.name} up`, (db) => m.up(db)]];
      if (m.down)
        steps.push([`${m.name} down`, (db) => (m.down as (db: Kysely<unknown>) => Promise<void>)(db)]);
      for (const [name, step] of steps) {
        for (const statement of await recordedSql(step)) {
          for (const t of touches(statement, indexTable)) {
            if (t.op === "CREATE INDEX" && t.object) indexTable.set(t.object, t.table);
            if ((t.op === "CREATE INDEX" || t.op === "CREATE TRIGGER") && t.object) {
              createdBy.set(t.object, owned.area);
            }
            if (mine.has(t.table)) continue;
            const exception = EXCEPTIONS.find(
              (e) => e.area === owned.area && e.object === t.object && e.table === t.table,
            );
            if (exception) {
              usedExceptions.add(exception);
              continue;
            }
            violations.push({ area: owned.area, migration: name, ...t });
          }
        }
      }
    }
  }
  return { violations, usedExceptions, createdBy };
}

/** Every TypeScript source file of the packages (not tests, not builds). */
function sourceFiles(): string[] {
  const root = resolve(import.meta.dirname, "../..");
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name)) out.push(p);
    }
  };
  for (const pkg of readdirSync(root)) {
    const src = join(root, pkg, "src");
    if (existsSync(src)) walk(src);
  }
  return out;
}

describe("the database is typed in every area (issue 11)", () => {
  it("no package source types a Kysely instance with any, or casts one to another area's view", () => {
    const found: string[] = [];
    const pattern = /Kysely<any>|\bas any\b|as unknown as (?:Kysely\b|\w*Db\b)/g;
    for (const f of sourceFiles()) {
      for (const [i, line] of readFileSync(f, "utf8").split("\n").entries()) {
        if (pattern.test(line)) found.push(`${f}:${i + 1}: ${line.trim()}`);
        pattern.lastIndex = 0;
      }
    }
    expect(sourceFiles().length).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });
});

describe("each area's migrations touch only its own tables (issue 11)", () => {
  it("no table is declared by two areas", () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const { owned } of PLATFORM_AREAS) {
      for (const t of [...owned.current, ...owned.retired]) {
        const other = seen.get(t);
        if (other) twice.push(`${t}: ${other} and ${owned.area}`);
        seen.set(t, owned.area);
      }
    }
    expect(twice).toEqual([]);
  });

  it("every CREATE/ALTER/DROP, index, trigger, reference and write targets the declaring area's table or a listed exception", async () => {
    const { violations, usedExceptions } = await scan(PLATFORM_AREAS);
    expect(
      violations.map((v) => `${v.area} ${v.migration}: ${v.op} ${v.object ?? ""} on ${v.table}`),
    ).toEqual([]);
    // An exception no migration needs any more goes from the list.
    expect(EXCEPTIONS.filter((e) => !usedExceptions.has(e)).map((e) => e.object)).toEqual([]);
    expect(EXCEPTIONS.every((e) => e.reason.trim().length > 0)).toBe(true);
  });

  it("the scan catches a migration that touches another area's table (planted violations)", async () => {
    const planted = [
      "CREATE INDEX payment_qc_rule ON qc_finding (rule_id)",
      "ALTER TABLE settlement_list ADD COLUMN audit_flag text",
      'CREATE TRIGGER "x_sync" AFTER INSERT OR UPDATE ON "public"."audit_finding" FOR EACH ROW EXECUTE FUNCTION f()',
      "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('DELETE FROM %1$I.hospital'); RETURN NULL; END $$",
      "UPDATE console_user SET disabled = true",
      "CREATE TABLE x (id text REFERENCES audit_run (run_id))",
      "CREATE VIEW payment_x AS SELECT f.finding_id FROM stay_settlement s JOIN audit_finding f ON f.setl_ids->>0 = s.setl_id",
    ];
    const payment = PLATFORM_AREAS.find((a) => a.owned.area === "payment");
    if (!payment) throw new Error("no payment area");
    const { violations } = await scan([
      {
        owned: payment.owned,
        migrations: [
          {
            name: "0199_payment_planted",
            async up(db) {
              for (const p of planted) await sql.raw(p).execute(db);
            },
          },
        ],
      },
    ]);
    expect(violations.map((v) => `${v.op} ${v.table}`)).toEqual([
      "CREATE INDEX qc_finding",
      "ALTER TABLE settlement_list",
      "CREATE TRIGGER audit_finding",
      "DELETE hospital",
      "UPDATE console_user",
      "CREATE TABLE x",
      "REFERENCES audit_run",
      "CREATE VIEW payment_x",
      "VIEW READS audit_finding",
    ]);
    // The same statements are fine for the areas that own those tables.
    expect(touches("CREATE INDEX payment_x ON stay_settlement (drg)", new Map())).toEqual([
      { op: "CREATE INDEX", table: "stay_settlement", object: "payment_x" },
    ]);
  });

  it("on a fresh database, every table has one declared owner and every index and trigger was created by an area allowed to", async () => {
    const { createdBy } = await scan(PLATFORM_AREAS);
    const ownerOf = new Map<string, string>();
    const current = new Set<string>();
    for (const { owned } of PLATFORM_AREAS) {
      for (const t of owned.current) {
        ownerOf.set(t, owned.area);
        current.add(t);
      }
    }
    const store = await openStore({ memory: true, migrations: PLATFORM_MIGRATIONS });
    try {
      const tables = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type IN ('BASE TABLE', 'VIEW')
          AND table_name NOT LIKE 'kysely_migration%' ORDER BY 1`.execute(store.db);
      const live = tables.rows.map((r) => r.name);
      expect(
        live.filter((t) => !ownerOf.has(t)),
        "tables no area declares",
      ).toEqual([]);
      expect([...current].filter((t) => !live.includes(t)).sort(), "declared tables missing").toEqual([]);
      const objects = await sql<{ name: string; table: string }>`
        SELECT indexname AS name, tablename AS table FROM pg_indexes WHERE schemaname = current_schema()
          AND tablename NOT LIKE 'kysely_migration%' AND indexname NOT IN (
            SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))
        UNION ALL
        SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND NOT t.tgisinternal
        ORDER BY 2, 1`.execute(store.db);
      const wrong = objects.rows.filter((o) => {
        const by = createdBy.get(o.name);
        if (by === undefined) return true;
        if (by === ownerOf.get(o.table)) return false;
        return !EXCEPTIONS.some((e) => e.area === by && e.object === o.name && e.table === o.table);
      });
      expect(
        wrong.map((o) => `${o.name} on ${o.table} (by ${createdBy.get(o.name) ?? "no migration seen"})`),
      ).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
