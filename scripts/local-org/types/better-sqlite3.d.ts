// Minimal typings for better-sqlite3 12 (the package ships none and @types/better-sqlite3 is not a
// dependency). Only what the local org uses is declared; widen it here if you need more.
declare module 'better-sqlite3' {
  namespace Database {
    type BindValue = number | string | bigint | Buffer | null;

    interface RunResult {
      changes: number;
      lastInsertRowid: number | bigint;
    }

    interface Statement<Row = unknown> {
      readonly reader: boolean;
      run(...params: BindValue[]): RunResult;
      get(...params: BindValue[]): Row | undefined;
      all(...params: BindValue[]): Row[];
      iterate(...params: BindValue[]): IterableIterator<Row>;
      raw(toggle?: boolean): Statement<unknown[]>;
      pluck(toggle?: boolean): Statement<unknown>;
    }

    interface Transaction<F extends (...args: never[]) => unknown> {
      (...args: Parameters<F>): ReturnType<F>;
      immediate(...args: Parameters<F>): ReturnType<F>;
    }

    interface FunctionOptions {
      deterministic?: boolean;
      varargs?: boolean;
      directOnly?: boolean;
    }

    interface Database {
      readonly open: boolean;
      readonly inTransaction: boolean;
      readonly name: string;
      prepare<Row = unknown>(sql: string): Statement<Row>;
      exec(sql: string): this;
      pragma(sql: string, options?: { simple?: boolean }): unknown;
      transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F>;
      function(name: string, options: FunctionOptions, fn: (...args: BindValue[]) => BindValue): this;
      function(name: string, fn: (...args: BindValue[]) => BindValue): this;
      close(): this;
    }

    interface Options {
      readonly?: boolean;
      fileMustExist?: boolean;
      timeout?: number;
    }
  }

  interface DatabaseConstructor {
    new (filename?: string, options?: Database.Options): Database.Database;
    (filename?: string, options?: Database.Options): Database.Database;
  }

  const Database: DatabaseConstructor;
  export = Database;
}
