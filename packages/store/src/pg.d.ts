/**
 * The small part of `pg` (node-postgres) the store uses; the package ships no type declarations and
 * `@types/pg` is not installed.
 */
declare module "pg" {
  type TypeParser = (value: string) => unknown;
  interface TypeOverrides {
    getTypeParser(oid: number, format?: "text" | "binary"): TypeParser;
  }
  interface ClientConfig {
    connectionString?: string;
    options?: string;
    types?: TypeOverrides;
    application_name?: string;
    connectionTimeoutMillis?: number;
  }
  interface PoolConfig extends ClientConfig {
    max?: number;
  }
  interface QueryResult {
    rows: Record<string, unknown>[];
  }
  class Client {
    constructor(config?: ClientConfig);
    on(event: "error", listener: (err: Error) => void): this;
    connect(): Promise<void>;
    query(text: string, values?: unknown[]): Promise<QueryResult>;
    end(): Promise<void>;
  }
  interface PoolClient {
    query<R>(
      sql: string,
      parameters: readonly unknown[],
    ): Promise<{ rows: R[]; command: "UPDATE" | "DELETE" | "INSERT" | "SELECT" | "MERGE"; rowCount: number }>;
    query<R>(cursor: import("kysely").PostgresCursor<R>): import("kysely").PostgresCursor<R>;
    release(): void;
  }
  class Pool {
    constructor(config?: PoolConfig);
    on(event: "error", listener: (err: Error) => void): this;
    on(event: "connect", listener: (client: Client) => void): this;
    connect(): Promise<PoolClient>;
    query(text: string, values?: unknown[]): Promise<QueryResult>;
    end(): Promise<void>;
  }
  const types: TypeOverrides;
  const pg: { Client: typeof Client; Pool: typeof Pool; types: TypeOverrides };

  export { Client, Pool };
  export default pg;
}
