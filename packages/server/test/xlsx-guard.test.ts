/**
 * The workbook expansion ceiling (zip bomb guard): an upload is measured by inflating its entries with
 * a ceiling before any Excel reader sees it. The archives here are built by hand the way an attacker
 * builds one (APPNOTE: local header, data, central directory, end record), so the guard is tested on
 * bytes no library of ours wrote.
 */
import * as zlib from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { readTableWorkbook, tableWorkbook } from "../src/excel-table.js";
import {
  checkWorkbookExpansion,
  MAX_WORKBOOK_EXPANDED_BYTES,
  workbookTooLargeMessage,
} from "../src/xlsx-guard.js";
import { filler, zip } from "./zip-archive.js";

// The guard's inflation, observed: each call must carry the ceiling that is left (plus one byte).
vi.mock("node:zlib", async (original) => {
  const z = await original<typeof import("node:zlib")>();
  return { ...z, inflateRawSync: vi.fn(z.inflateRawSync) };
});

const MiB = 1024 * 1024;

describe("the workbook expansion ceiling", () => {
  it("a real workbook is within it", async () => {
    const wb = await tableWorkbook("表", [{ header: "列", key: "k", width: 10 }], [{ k: "值" }], []);
    expect(checkWorkbookExpansion(wb)).toBe("ok");
  });

  it("at the ceiling passes, one byte over does not, stored or deflated, one entry or several", () => {
    const max = 1 * MiB;
    expect(checkWorkbookExpansion(zip([{ name: "a.xml", content: filler(max) }]), max)).toBe("ok");
    expect(checkWorkbookExpansion(zip([{ name: "a.xml", content: filler(max + 1) }]), max)).toBe("too-large");
    expect(checkWorkbookExpansion(zip([{ name: "a", content: filler(max), method: 0 }]), max)).toBe("ok");
    expect(checkWorkbookExpansion(zip([{ name: "a", content: filler(max + 1), method: 0 }]), max)).toBe(
      "too-large",
    );
    const halves = (extra: number) =>
      zip([
        { name: "a.xml", content: filler(max / 2) },
        { name: "b.xml", content: filler(max / 2 + extra) },
      ]);
    expect(checkWorkbookExpansion(halves(0), max)).toBe("ok");
    expect(checkWorkbookExpansion(halves(1), max)).toBe("too-large");
  });

  it("a header that understates the size does not help: the inflation itself is capped", () => {
    const inflate = vi.mocked(zlib.inflateRawSync);
    inflate.mockClear();
    const lying = zip([
      { name: "a.xml", content: filler(1000) },
      { name: "xl/worksheets/sheet1.xml", content: filler(3 * MiB), declared: 100 },
    ]);
    expect(checkWorkbookExpansion(lying, MiB)).toBe("too-large");
    // Never more than what is left of the ceiling, plus the one byte that shows it is exceeded.
    expect(inflate.mock.calls.map((c) => (c[1] as zlib.ZlibOptions).maxOutputLength)).toEqual([
      MiB + 1,
      MiB - 1000 + 1,
    ]);
  });

  it("a header that claims more than the ceiling is refused without inflating", () => {
    const inflate = vi.mocked(zlib.inflateRawSync);
    inflate.mockClear();
    expect(
      checkWorkbookExpansion(zip([{ name: "a.xml", content: filler(10), declared: MiB + 1 }]), MiB),
    ).toBe("too-large");
    expect(inflate).not.toHaveBeenCalled();
  });

  it("not a zip, a broken directory, an unknown method: unreadable, never a throw", () => {
    expect(checkWorkbookExpansion(Buffer.from("医院编码,医院等级\n"))).toBe("unreadable");
    expect(checkWorkbookExpansion(Buffer.from("PK\u0003\u0004 broken zip, no directory at all"))).toBe(
      "unreadable",
    );
    const good = zip([{ name: "a.xml", content: filler(1000) }]);
    const unknown = Buffer.from(good);
    unknown.writeUInt16LE(12, good.length - 22 - 46 - 5 + 10); // the central entry's method: bzip2
    expect(checkWorkbookExpansion(unknown)).toBe("unreadable");
    const corrupt = Buffer.from(good);
    corrupt.fill(0xff, 35, 60); // the deflated data
    expect(checkWorkbookExpansion(corrupt)).toBe("unreadable");
  });

  it("a 65 MiB bomb of 65 KiB is refused by the rule-table reader with the ceiling named", async () => {
    const bomb = zip([
      { name: "xl/worksheets/sheet1.xml", content: filler(MAX_WORKBOOK_EXPANDED_BYTES + MiB) },
    ]);
    expect(bomb.length).toBeLessThan(256 * 1024);
    const r = await readTableWorkbook(bomb, "表", [{ header: "列", key: "k", width: 10 }], ["k"]);
    expect(r.problems).toEqual([workbookTooLargeMessage()]);
    expect(workbookTooLargeMessage()).toContain("64 MiB");
  });
});
