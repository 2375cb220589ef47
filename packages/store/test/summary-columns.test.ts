/**
 * The attending physician and the 31-day readmission plan flag are summary columns (store migration
 * 0005), so indicators read columns instead of the 4101 JSON; the migration fills them for the lists
 * and history rows stored before it, from each stored message.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MigrationDb, type Store, storeMigrations } from "../src/index.js";
import { ENGINES, type TestEngine } from "./engines.js";
import { upload } from "./fixtures.js";

const MIGRATION = "0005_store_attending_and_readmission_plan";

for (const makeEngine of ENGINES) {
  const engine: TestEngine = makeEngine();
  describe(`summary columns from the message on ${engine.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(async () => {
      await store?.close();
      await engine.cleanup();
    });

    it("migration 0005 fills the columns of lists stored before it, from their messages; '' where the message lacks them", async () => {
      const withPlan = upload("S-COL-1");
      const planned = {
        ...withPlan,
        list: {
          ...withPlan.list,
          message: {
            infno: "4101",
            input: {
              setlinfo: { chfpdr_code: "D210102000789", chfpdr_name: "钱医生", days_rinp_flag_31: "2" },
            },
          },
        },
      };
      const bare = upload("S-COL-2"); // its message has none of the three fields
      const odd = upload("S-COL-3");
      const scalar = { ...odd, list: { ...odd.list, message: "not an object" } };
      await store.saveSettlementLists([planned, bare, scalar]);
      // A replaced version goes to history with its message.
      await store.saveSettlementLists([{ ...planned, list: { ...planned.list, drg: "GB29" } }]);
      const m = storeMigrations.find((x) => x.name === MIGRATION);
      if (!m?.down) throw new Error(`no ${MIGRATION} with a down step`);
      // Kysely is invariant in its tables: a migration step takes the untyped view of the same connection.
      const db = store.db as unknown as MigrationDb;
      await m.down(db);
      await m.up(db);
      const rows = await sql<{ setl_id: string; code: string; name: string; flag: string }>`
        SELECT setl_id, chfpdr_code AS code, chfpdr_name AS name, days_rinp_flag_31 AS flag
        FROM settlement_list WHERE setl_id LIKE 'S-COL-%' ORDER BY setl_id`.execute(store.db);
      expect(rows.rows).toEqual([
        { setl_id: "S-COL-1", code: "D210102000789", name: "钱医生", flag: "2" },
        { setl_id: "S-COL-2", code: "", name: "", flag: "" },
        { setl_id: "S-COL-3", code: "", name: "", flag: "" },
      ]);
      const history = await sql<{
        code: string;
        flag: string;
      }>`SELECT chfpdr_code AS code, days_rinp_flag_31 AS flag
        FROM settlement_list_history WHERE setl_id = 'S-COL-1'`.execute(store.db);
      expect(history.rows).toEqual([{ code: "D210102000789", flag: "2" }]);
    });

    it("migration 0006 fills 参保地 (insuplc) from each stored message; '' where the message lacks it", async () => {
      const a = upload("S-INS-1");
      const remote = {
        ...a,
        list: {
          ...a.list,
          insuplc: "",
          message: { infno: "4101", input: { setlinfo: { insuplc: "110101" } } },
        },
      };
      const b = upload("S-INS-2");
      const bare = { ...b, list: { ...b.list, insuplc: "", message: { infno: "4101", input: {} } } };
      await store.saveSettlementLists([remote, bare]);
      const m = storeMigrations.find((x) => x.name === "0006_store_insured_area");
      if (!m?.down) throw new Error("no 0006_store_insured_area with a down step");
      const db = store.db as unknown as MigrationDb;
      await m.down(db);
      await m.up(db);
      const rows = await sql<{
        setl_id: string;
        insuplc: string;
      }>`SELECT setl_id, insuplc FROM settlement_list
        WHERE setl_id LIKE 'S-INS-%' ORDER BY setl_id`.execute(store.db);
      expect(rows.rows).toEqual([
        { setl_id: "S-INS-1", insuplc: "110101" },
        { setl_id: "S-INS-2", insuplc: "" },
      ]);
    });
  });
}
