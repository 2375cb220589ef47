/**
 * `yibao accounts reset-password <username>`: for an operator who lost a password (the demo's and the
 * first administrator's are shown only once). The account gets a new generated password, shown once
 * and to be changed at the next sign-in; its sessions end and a lock-out is lifted.
 */
import { identityDb, resetPassword } from "@yibao/server";
import { type OpenStoreOptions, openStore } from "@yibao/store";
import { PLATFORM_MIGRATIONS } from "./platform.js";

export interface ResetPasswordOptions {
  readonly username: string;
  readonly dataDir?: string;
  readonly databaseUrl?: string;
}

/** The new password, or undefined when there is no such account. */
export async function resetAccountPassword(
  o: ResetPasswordOptions,
): Promise<{ readonly username: string; readonly password: string } | undefined> {
  const options: OpenStoreOptions = {
    ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
    ...(o.dataDir ? { dataDir: o.dataDir } : {}),
    migrations: PLATFORM_MIGRATIONS,
  };
  const store = await openStore(options);
  try {
    const r = await resetPassword(identityDb(store), { username: o.username });
    return r ? { username: r.username, password: r.password } : undefined;
  } finally {
    await store.close();
  }
}
