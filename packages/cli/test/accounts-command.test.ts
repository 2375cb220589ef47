/**
 * The accounts `yibao serve` creates and `yibao accounts reset-password`: generated passwords printed
 * once and never stored in plain text, to be changed at first sign-in; a lost one replaced.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { identityDb, login } from "@yibao/server";
import { openStore } from "@yibao/store";
import { afterAll, describe, expect, it, vi } from "vitest";
import { PLATFORM_MIGRATIONS } from "../src/platform.js";
import { program } from "../src/program.js";
import { serve } from "../src/serve-command.js";

const dir = mkdtempSync(join(tmpdir(), "yibao-accounts-"));
const dataDir = join(dir, "db");

afterAll(() => {
  vi.restoreAllMocks();
});

/** Every file under `d`, recursively. */
function files(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)],
  );
}

describe("accounts created by yibao serve", () => {
  let printed: { username: string; password: string }[] = [];

  it("prints generated passwords once, stores no plain text, removes an old demo-accounts.json", async () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, "demo-accounts.json"),
      JSON.stringify([{ username: "admin", password: "x" }]),
    );
    const lines: string[] = [];
    const first = await serve({ port: 0, host: "127.0.0.1", dataDir, log: (l) => lines.push(l) });
    await first.close();
    printed = lines
      .map((l) => l.match(/^ {2}(\S+) \/ (\S+) \/ /))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => ({ username: m[1] ?? "", password: m[2] ?? "" }));
    expect(printed.map((p) => p.username)).toEqual(["admin", "bureau", "reviewer"]);
    expect(lines.some((l) => l.includes("已删除") && l.includes("demo-accounts.json"))).toBe(true);
    expect(existsSync(join(dataDir, "demo-accounts.json"))).toBe(false);
    // No file in the data directory holds a password in plain text.
    for (const f of files(dataDir)) {
      const bytes = readFileSync(f);
      for (const p of printed) expect(bytes.includes(p.password), f).toBe(false);
    }

    const again: string[] = [];
    const second = await serve({ port: 0, host: "127.0.0.1", dataDir, log: (l) => again.push(l) });
    await second.close();
    for (const p of printed) expect(again.join("\n")).not.toContain(p.password);
    expect(again.join("\n")).toContain("yibao accounts reset-password");
  });

  it("makes them change the password at first sign-in", async () => {
    const store = await openStore({ dataDir, migrations: PLATFORM_MIGRATIONS });
    try {
      const admin = printed.find((p) => p.username === "admin");
      const r = await login(identityDb(store), "admin", admin?.password ?? "");
      expect(r).toMatchObject({ ok: true, mustChangePassword: true });
    } finally {
      await store.close();
    }
  });

  it("yibao accounts reset-password prints a new password once; the old one no longer works", async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    const err: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((s) => {
      err.push(String(s));
      return true;
    });
    try {
      await program().parseAsync(["accounts", "reset-password", "bureau", "--data-dir", dataDir], {
        from: "user",
      });
      await program().parseAsync(["accounts", "reset-password", "nobody", "--data-dir", dataDir], {
        from: "user",
      });
    } finally {
      vi.restoreAllMocks();
    }
    expect(err.join("")).toBe("账号不存在：nobody\n");
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    const password = out.join("").match(/新密码（只显示这一次，请妥善转交）：(\S+)\n/)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    const store = await openStore({ dataDir, migrations: PLATFORM_MIGRATIONS });
    try {
      const db = identityDb(store);
      const bureau = printed.find((p) => p.username === "bureau");
      if (bureau === undefined) throw new Error("初始账号中没有 bureau");
      const old = bureau.password;
      expect(await login(db, "bureau", old)).toMatchObject({ ok: false, reason: "invalid" });
      expect(await login(db, "bureau", password ?? "")).toMatchObject({ ok: true, mustChangePassword: true });
    } finally {
      await store.close();
    }
  });
});
