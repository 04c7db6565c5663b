// The data store: one SQLite table per object (better-sqlite3, synchronous), Salesforce's DML rules
// (required, unique, lookups, restricted picklists, read-only fields, owners, cascades, field
// history on Account) and record-level fault injection.

import Database from 'better-sqlite3';
import { RecordFailure, SalesforceApiError, type RecordError } from './errors';
import { keyPrefixOf, makeId, normalizeId } from './ids';
import type { Schema } from './metadata';
import type { FieldDef, SObjectDef } from './schema';
import { storedToLocal, toStoredDateTime } from './time';
import { toJson, toStored, type InputSource, type Stored } from './values';
import { evaluateFormula, formulaReferences, parseFormula, type FormulaNode } from '../metadata/formula';

export type Row = Record<string, unknown>;

export interface DmlContext {
  userId: string;
  /** Set audit fields from the input (demo generation and admin inserts only). */
  allowAuditFields?: boolean;
  /** Bypass createable/updateable checks (admin hooks emulating what users do in the UI). */
  bypassAccess?: boolean;
  source: InputSource;
}

export interface DmlResult {
  id: string | null;
  success: boolean;
  errors: RecordError[];
  created?: boolean;
}

/** Decides whether a record must fail with an injected error (fault injection, see faults.ts). */
export type RecordFaultHook = (
  object: SObjectDef,
  operation: 'insert' | 'update' | 'upsert' | 'delete',
  values: Row,
  id: string | null
) => RecordFailure | null;

const AUDIT_FIELDS = new Set([
  'createddate',
  'createdbyid',
  'lastmodifieddate',
  'lastmodifiedbyid',
  'systemmodstamp'
]);

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function sqlType(field: FieldDef): string {
  switch (field.type) {
    case 'boolean':
    case 'int':
      return 'INTEGER';
    case 'double':
    case 'currency':
    case 'percent':
      return 'REAL';
    default:
      return 'TEXT';
  }
}

class RollbackAll extends Error {}

function readOnlyFields(names: string[]): RecordFailure {
  return new RecordFailure(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${names.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    names
  );
}

export class Store {
  readonly db: Database.Database;
  readonly schema: Schema;
  private readonly prefixes = new Map<string, SObjectDef>();
  private readonly sequences = new Map<string, number>();
  private readonly childLinks = new Map<string, { child: SObjectDef; field: FieldDef }[]>();
  private readonly statements = new Map<string, Database.Statement>();
  private clockOffsetMs = 0;
  private readonly idBlocks = new Map<string, { next: number; end: number }>();
  private readonly insertPlans = new Map<string, { columns: string[]; stmt: Database.Statement }>();
  private readonly lookups = new Map<string, Database.Statement<Row>>();
  private readonly parentStatements = new Map<string, Database.Statement<Row>>();
  private lastNow: { ms: number; text: string } = { ms: -1, text: '' };
  private readonly rules = new Map<
    string,
    { node: FormulaNode; fields: string[]; message: string; field: string | null; name: string }[]
  >();
  /** Parents already checked in the current transaction (lookups repeat across a batch). */
  private referenceCache: Map<string, Row | null> | null = null;
  private fixedNow: number | null = null;
  recordFaultHook: RecordFaultHook | null = null;

  constructor(file: string, schema: Schema) {
    this.db = new Database(file === ':memory:' ? ':memory:' : file);
    this.schema = schema;
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('cache_size = -65536');
    this.db.pragma('temp_store = FILE');
    this.db.function('lo_local', { deterministic: true }, (value, timeZone) =>
      value === null ? null : storedToLocal(String(value), String(timeZone))
    );
    for (const object of schema.objects.values()) {
      this.prefixes.set(object.keyPrefix, object);
      for (const field of object.fields) {
        if (field.type !== 'reference' || field.name === 'CreatedById' || field.name === 'LastModifiedById')
          continue;
        for (const target of field.referenceTo) {
          const list = this.childLinks.get(target.toLowerCase()) ?? [];
          list.push({ child: object, field });
          this.childLinks.set(target.toLowerCase(), list);
        }
      }
    }
    for (const [name, deployed] of schema.deployed) {
      const active = deployed.validationRules
        .filter((r) => r.active)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((r) => ({
          node: parseFormula(r.formula),
          fields: formulaReferences(r.formula),
          message: r.errorMessage,
          field: r.errorField,
          name: r.name
        }));
      if (active.length) this.rules.set(name, active);
    }
    this.db.exec(`CREATE TABLE IF NOT EXISTS lo_meta (key TEXT PRIMARY KEY, value TEXT);
      CREATE TABLE IF NOT EXISTS lo_sequences (name TEXT PRIMARY KEY, next INTEGER NOT NULL);`);
    for (const row of this.db
      .prepare<{ name: string; next: number }>('SELECT name, next FROM lo_sequences')
      .all()) {
      this.sequences.set(row.name, row.next);
    }
    this.db.exec(
      'CREATE TEMP TABLE IF NOT EXISTS lo_cursor_rows (seq INTEGER PRIMARY KEY, rid INTEGER NOT NULL)'
    );
  }

  // --- schema ----------------------------------------------------------------------------------

  /** Creates missing tables and columns. Indexes are created separately (after bulk loads). */
  ensureTables(): void {
    for (const object of this.schema.objects.values()) {
      const existing = this.db
        .prepare<{ name: string }>(`SELECT name FROM pragma_table_info(?)`)
        .all(object.table)
        .map((r) => r.name.toLowerCase());
      const stored = object.fields.filter((f) => f.column !== null);
      if (existing.length === 0) {
        const columns = stored.map((f) => {
          const defaults = f.name === 'IsDeleted' ? ' NOT NULL DEFAULT 0' : '';
          return `${quote(f.column as string)} ${sqlType(f)}${defaults}`;
        });
        this.db.exec(
          `CREATE TABLE ${quote(object.table)} (_rowid INTEGER PRIMARY KEY, _DeletedDate TEXT, ${columns.join(', ')})`
        );
      } else {
        for (const f of stored) {
          if (!existing.includes((f.column as string).toLowerCase())) {
            this.db.exec(
              `ALTER TABLE ${quote(object.table)} ADD COLUMN ${quote(f.column as string)} ${sqlType(f)}`
            );
          }
        }
      }
    }
  }

  /**
   * Indexes: Id everywhere; unique, external id and name-lookup fields; custom lookups; and the
   * standard lookups that deletes follow (cascade, set-null, restrict). Other standard lookups
   * (owners, audit fields, survey catalog references) stay unindexed, which keeps building a
   * million-response org fast; queries on them scan, as they may.
   */
  ensureIndexes(): void {
    for (const object of this.schema.objects.values()) {
      const t = quote(object.table);
      const base = object.table;
      this.db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${quote(`${base}__id`)} ON ${t} ("Id")`);
      for (const field of object.fields) {
        if (field.column === null || field.name === 'Id') continue;
        const col = quote(field.column);
        if (field.type === 'reference') {
          if (['CreatedById', 'LastModifiedById', 'OwnerId'].includes(field.name)) continue;
          if (!field.custom && !field.cascadeDelete && field.deleteConstraint === 'None') continue;
          this.db.exec(`CREATE INDEX IF NOT EXISTS ${quote(`${base}__${field.name}`)} ON ${t} (${col})`);
        } else if (field.unique || field.externalId || (field.idLookup && field.custom)) {
          const collate = field.caseSensitive ? '' : ' COLLATE NOCASE';
          this.db.exec(
            `CREATE INDEX IF NOT EXISTS ${quote(`${base}__${field.name}`)} ON ${t} (${col}${collate})`
          );
        }
      }
    }
    // Approximate statistics are enough for the planner and take milliseconds on large tables.
    this.db.pragma('analysis_limit = 400');
    this.db.exec('ANALYZE');
  }

  getMeta(key: string): string | null {
    const row = this.db.prepare<{ value: string }>('SELECT value FROM lo_meta WHERE key = ?').get(key);
    return row ? row.value : null;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO lo_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
      )
      .run(key, value);
  }

  object(name: string): SObjectDef | undefined {
    return this.schema.objects.get(name.toLowerCase());
  }

  objectForId(id: string): SObjectDef | undefined {
    return this.prefixes.get(keyPrefixOf(id));
  }

  prepare<R = unknown>(sql: string): Database.Statement<R> {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt as Database.Statement<R>;
  }

  // --- clock and ids ---------------------------------------------------------------------------

  nowMs(): number {
    return this.fixedNow ?? Date.now() + this.clockOffsetMs;
  }

  nowStored(): string {
    const ms = this.nowMs();
    if (ms !== this.lastNow.ms) this.lastNow = { ms, text: toStoredDateTime(ms) };
    return this.lastNow.text;
  }

  frozenClock(): number | null {
    return this.fixedNow;
  }

  /** Freezes the org's clock at `ms` (null: real time again). Used by tests to date history rows. */
  setClock(ms: number | null): void {
    this.fixedNow = ms;
  }

  /** Reserves `count` consecutive sequence numbers under `name` and returns the first. */
  reserve(name: string, count = 1): number {
    const next = this.sequences.get(name) ?? 1;
    this.sequences.set(name, next + count);
    this.prepare(
      'INSERT INTO lo_sequences (name, next) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET next = excluded.next'
    ).run(name, next + count);
    return next;
  }

  /** The next number of a sequence, from blocks of `size` reserved numbers (one write per block, not per record). */
  private nextInBlock(name: string, size: number): number {
    let block = this.idBlocks.get(name);
    if (!block || block.next >= block.end) {
      const next = this.reserve(name, size);
      block = { next, end: next + size };
      this.idBlocks.set(name, block);
    }
    return block.next++;
  }

  newId(object: SObjectDef): string {
    return makeId(object.keyPrefix, this.nextInBlock(object.keyPrefix, 1000));
  }

  private autoNumber(object: SObjectDef, format: string): string {
    // Like Salesforce's, these numbers may skip (numbers reserved by a stopped server are not reused).
    const n = this.nextInBlock(`autonumber:${object.name}`, 100);
    const now = new Date(this.nowMs());
    return format.replace(/\{(0+|YYYY|YY|MM|DD)\}/g, (_, token: string) => {
      if (token === 'YYYY') return String(now.getUTCFullYear());
      if (token === 'YY') return String(now.getUTCFullYear()).slice(2);
      if (token === 'MM') return String(now.getUTCMonth() + 1).padStart(2, '0');
      if (token === 'DD') return String(now.getUTCDate()).padStart(2, '0');
      return String(n).padStart(token.length, '0');
    });
  }

  // --- reads -------------------------------------------------------------------------------------

  findById(object: SObjectDef, id: string, includeDeleted = false): Row | undefined {
    const sql = `SELECT * FROM ${quote(object.table)} WHERE "Id" = ?${includeDeleted ? '' : ' AND "IsDeleted" = 0'}`;
    return this.prepare<Row>(sql).get(id);
  }

  /** Rows (not deleted) whose `field` equals `value` (case-insensitive unless the field is case-sensitive). */
  findByField(object: SObjectDef, field: FieldDef, value: Stored, limit = 2): Row[] {
    return this.fieldLookup(object, field, '*', limit).all(value);
  }

  /** Ids of the rows (not deleted) whose `field` equals `value`: the cheap form of findByField. */
  findIdsByField(object: SObjectDef, field: FieldDef, value: Stored, limit = 2): string[] {
    return this.fieldLookup(object, field, '"Id"', limit)
      .all(value)
      .map((r) => r.Id as string);
  }

  private fieldLookup(
    object: SObjectDef,
    field: FieldDef,
    columns: string,
    limit: number
  ): Database.Statement<Row> {
    const key = `${object.name}\u0000${field.name}\u0000${columns}\u0000${limit}`;
    let stmt = this.lookups.get(key);
    if (!stmt) {
      const collate =
        field.type === 'id' || field.type === 'reference' || field.caseSensitive ? '' : ' COLLATE NOCASE';
      stmt = this.db.prepare<Row>(
        `SELECT ${columns} FROM ${quote(object.table)} WHERE ${quote(field.column as string)} = ?${collate} AND "IsDeleted" = 0 LIMIT ${limit}`
      );
      this.lookups.set(key, stmt);
    }
    return stmt;
  }

  /** What a lookup check needs of a parent row. */
  private parentState(object: SObjectDef, id: string): Row | undefined {
    let stmt = this.parentStatements.get(object.name);
    if (!stmt) {
      const active = object.fieldIndex.has('isactive') ? ', "IsActive"' : '';
      stmt = this.db.prepare<Row>(
        `SELECT "Id", "IsDeleted"${active} FROM ${quote(object.table)} WHERE "Id" = ?`
      );
      this.parentStatements.set(object.name, stmt);
    }
    return stmt.get(id);
  }

  userName(userId: string): string | null {
    const user = this.object('User') as SObjectDef;
    const row = this.findById(user, userId, true);
    return row ? (row.Name as string | null) : null;
  }

  recordName(id: string): string | null {
    const object = this.objectForId(id);
    if (!object || !object.nameField) return null;
    const row = this.findById(object, id, true);
    return row ? ((row[object.nameField] as string | null) ?? null) : null;
  }

  // --- DML ---------------------------------------------------------------------------------------

  /**
   * Resolves the input keys of one record to fields. Unknown fields fail the whole request
   * (INVALID_FIELD), as Salesforce does when it deserialises the body.
   */
  resolveInputFields(object: SObjectDef, record: Row): Map<FieldDef, unknown> {
    const out = new Map<FieldDef, unknown>();
    for (const [key, value] of Object.entries(record)) {
      if (key === 'attributes') continue;
      const field = object.fieldIndex.get(key.toLowerCase());
      if (!field) {
        if (object.relationshipIndex.has(key.toLowerCase())) {
          throw new SalesforceApiError(
            400,
            'INVALID_FIELD',
            `Relationship references (${key}) are not supported by the local org: set ${object.relationshipIndex.get(key.toLowerCase())?.name} to a record Id`,
            [key]
          );
        }
        throw new SalesforceApiError(
          400,
          'INVALID_FIELD',
          `No such column '${key}' on sobject of type ${object.name}`,
          [key]
        );
      }
      out.set(field, value);
    }
    return out;
  }

  /** Runs `fn` with lookups to parents cached (call inside one transaction). */
  withReferenceCache<T>(fn: () => T): T {
    if (this.referenceCache) return fn();
    this.referenceCache = new Map();
    try {
      return fn();
    } finally {
      this.referenceCache = null;
    }
  }

  /** Runs `fn` in one transaction; with allOrNone, any failed record rolls every record back. */
  runBatch(allOrNone: boolean, fn: () => DmlResult[]): DmlResult[] {
    let results: DmlResult[] = [];
    try {
      this.db.transaction(() => {
        results = this.withReferenceCache(fn);
        if (allOrNone && results.some((r) => !r.success)) throw new RollbackAll();
      })();
    } catch (error) {
      if (!(error instanceof RollbackAll)) throw error;
      return results.map((r) =>
        r.success
          ? {
              id: null,
              success: false,
              errors: [
                {
                  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message:
                    'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  fields: []
                }
              ],
              ...(r.created !== undefined ? { created: false } : {})
            }
          : { ...r, id: null }
      );
    }
    return results;
  }

  private failure(error: unknown): DmlResult {
    if (error instanceof RecordFailure) return { id: null, success: false, errors: [error.toRecordError()] };
    throw error;
  }

  insert(object: SObjectDef, input: Map<FieldDef, unknown>, ctx: DmlContext): DmlResult {
    try {
      return { id: this.insertOrThrow(object, input, ctx), success: true, errors: [] };
    } catch (error) {
      return this.failure(error);
    }
  }

  insertOrThrow(object: SObjectDef, input: Map<FieldDef, unknown>, ctx: DmlContext): string {
    if (!object.createable && !ctx.bypassAccess) {
      throw new RecordFailure(
        'INVALID_TYPE_FOR_OPERATION',
        `entity type cannot be inserted: ${object.label}`
      );
    }
    const values: Row = {};
    const notWritable: string[] = [];
    for (const [field, raw] of input) {
      if (field.name === 'Id') {
        if (raw !== null && raw !== undefined && raw !== '')
          throw new RecordFailure('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', [
            'Id'
          ]);
        continue;
      }
      const audit = AUDIT_FIELDS.has(field.name.toLowerCase()) && ctx.allowAuditFields;
      if (!field.createable && !ctx.bypassAccess && !audit) {
        notWritable.push(field.name);
        continue;
      }
      if (field.column === null) {
        notWritable.push(field.name);
        continue;
      }
      values[field.name] = toStored(field, raw, ctx.source);
    }
    if (notWritable.length) throw readOnlyFields(notWritable);
    const fault = this.recordFaultHook?.(object, 'insert', values, null);
    if (fault) throw fault;
    const id = this.newId(object);
    const now = this.nowStored();
    // Defaults, then system fields.
    for (const field of object.fields) {
      if (field.column === null || values[field.name] !== undefined) continue;
      if (field.defaultValue !== null && field.defaultValue !== undefined) {
        values[field.name] =
          typeof field.defaultValue === 'boolean' ? (field.defaultValue ? 1 : 0) : field.defaultValue;
      }
    }
    values.Id = id;
    values.IsDeleted = 0;
    if (!ctx.allowAuditFields || values.CreatedDate == null) values.CreatedDate = now;
    if (!ctx.allowAuditFields || values.CreatedById == null) values.CreatedById = ctx.userId;
    if (object.fieldIndex.has('lastmodifieddate')) {
      if (!ctx.allowAuditFields || values.LastModifiedDate == null)
        values.LastModifiedDate = values.CreatedDate;
      if (!ctx.allowAuditFields || values.LastModifiedById == null)
        values.LastModifiedById = values.CreatedById;
      values.SystemModstamp = values.LastModifiedDate;
    }
    if (object.fieldIndex.has('ownerid') && (values.OwnerId === null || values.OwnerId === undefined))
      values.OwnerId = ctx.userId;
    if (object.autoNumberFormat && object.fieldIndex.get('name')?.createable === false)
      values.Name = this.autoNumber(object, object.autoNumberFormat);
    if (object.nameField === 'Name' && object.custom && (values.Name === null || values.Name === undefined))
      values.Name = id;
    this.deriveNames(object, values);
    this.validate(object, values, null);
    this.insertRow(object, values);
    if (object.name === 'Account')
      this.writeHistory(
        id,
        [{ field: 'created', dataType: null, oldValue: null, newValue: null }],
        ctx.userId,
        values.CreatedDate as string
      );
    return id;
  }

  /** One prepared INSERT per object over all its stored columns (absent values bind as null). */
  private insertRow(object: SObjectDef, values: Row): void {
    let plan = this.insertPlans.get(object.name);
    if (!plan) {
      const columns = object.fields.filter((f) => f.column !== null).map((f) => f.column as string);
      plan = {
        columns,
        stmt: this.db.prepare(
          `INSERT INTO ${quote(object.table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
        )
      };
      this.insertPlans.set(object.name, plan);
    }
    plan.stmt.run(...plan.columns.map((c) => (values[c] ?? null) as Stored));
  }

  private deriveNames(object: SObjectDef, values: Row, existing?: Row): void {
    if (object.name !== 'User' && object.name !== 'Contact') return;
    const first = (values.FirstName !== undefined ? values.FirstName : existing?.FirstName) as
      string | null | undefined;
    const last = (values.LastName !== undefined ? values.LastName : existing?.LastName) as
      string | null | undefined;
    values.Name = [first, last].filter((p) => p).join(' ') || null;
  }

  /** Required, unique and lookup checks on the final values of a record (`existing` for updates). */
  private validate(object: SObjectDef, values: Row, existing: Row | null): void {
    const merged = existing ? { ...existing, ...values } : values;
    const missing: string[] = [];
    for (const field of object.fields) {
      if (field.column === null || field.nillable || field.type === 'boolean') continue;
      if (!field.createable && !field.updateable) continue;
      const v = merged[field.name];
      if (v === null || v === undefined || v === '') missing.push(field.name);
    }
    if (missing.length)
      throw new RecordFailure(
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.join(', ')}]`,
        missing
      );
    this.checkValidationRules(object, merged);
    for (const [key, value] of Object.entries(values)) {
      const field = object.fieldIndex.get(key.toLowerCase());
      if (!field || value === null || value === undefined) continue;
      if (field.type === 'reference' && !AUDIT_FIELDS.has(field.name.toLowerCase()))
        this.checkReference(object, field, String(value));
      if (field.unique && field.name !== 'Id') {
        const clash = this.findIdsByField(object, field, value as Stored).find((id) => id !== merged.Id);
        if (clash) {
          throw new RecordFailure(
            'DUPLICATE_VALUE',
            `duplicate value found: ${field.name} duplicates value on record with id: ${clash}`,
            [field.name]
          );
        }
      }
    }
  }

  /**
   * Active validation rules from force-app, in name order, evaluated by the project's formula
   * evaluator (scripts/metadata/formula.ts) on the record's values; parsed once at start-up.
   */
  private checkValidationRules(object: SObjectDef, merged: Row): void {
    const rules = this.rules.get(object.name.toLowerCase());
    if (!rules) return;
    for (const rule of rules) {
      const record: Record<string, unknown> = {};
      for (const path of rule.fields) {
        const field = object.fieldIndex.get(path.toLowerCase());
        if (field?.column) record[field.name] = toJson(field, merged[field.name]);
      }
      let failed: boolean;
      try {
        const isNumberField = (path: string): boolean =>
          ['double', 'int', 'currency', 'percent'].includes(
            object.fieldIndex.get(path.toLowerCase())?.type ?? ''
          );
        failed = evaluateFormula(rule.node, record, { treatBlanksAs: 'BlankAsZero', isNumberField }) === true;
      } catch (error) {
        throw new RecordFailure(
          'UNKNOWN_EXCEPTION',
          `The local org cannot evaluate validation rule ${object.name}.${rule.name}: ${(error as Error).message}`
        );
      }
      if (failed)
        throw new RecordFailure(
          'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          rule.message,
          rule.field ? [rule.field] : []
        );
    }
  }

  private checkReference(object: SObjectDef, field: FieldDef, id: string): void {
    const target = this.objectForId(id);
    if (!target || !field.referenceTo.some((r) => r.toLowerCase() === target.name.toLowerCase())) {
      throw new RecordFailure(
        'FIELD_INTEGRITY_EXCEPTION',
        `${field.label}: id value of incorrect type: ${id}`,
        [field.name]
      );
    }
    let row: Row | null | undefined = this.referenceCache?.get(id);
    if (row === undefined) {
      row = this.parentState(target, id) ?? null;
      this.referenceCache?.set(id, row);
    }
    if (!row)
      throw new RecordFailure('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field.name]);
    if (row.IsDeleted === 1) throw new RecordFailure('ENTITY_IS_DELETED', `entity is deleted`, [field.name]);
    if (field.name === 'OwnerId' && target.name === 'User' && row.IsActive === 0) {
      throw new RecordFailure(
        'INACTIVE_OWNER_OR_USER',
        `operation performed with inactive user [${id}] as owner of [${object.label.toLowerCase()}]`,
        [field.name]
      );
    }
  }

  update(
    object: SObjectDef,
    id: string,
    input: Map<FieldDef, unknown>,
    ctx: DmlContext,
    operation: 'update' | 'upsert' = 'update'
  ): DmlResult {
    try {
      this.updateOrThrow(object, id, input, ctx, operation);
      return { id: normalizeId(id) ?? id, success: true, errors: [] };
    } catch (error) {
      const result = this.failure(error);
      return { ...result, id: normalizeId(id) ?? id };
    }
  }

  updateOrThrow(
    object: SObjectDef,
    rawId: string,
    input: Map<FieldDef, unknown>,
    ctx: DmlContext,
    operation: 'update' | 'upsert' = 'update'
  ): void {
    if (!object.updateable && !ctx.bypassAccess)
      throw new RecordFailure('INVALID_TYPE_FOR_OPERATION', `entity type cannot be updated: ${object.label}`);
    const id = normalizeId(rawId);
    if (!id) throw new RecordFailure('MALFORMED_ID', `malformed id ${rawId}`, ['Id']);
    if (this.objectForId(id) !== object)
      throw new RecordFailure('MALFORMED_ID', `Id ${rawId} is not a ${object.name} Id`, ['Id']);
    const existing = this.findById(object, id, true);
    if (!existing)
      throw new RecordFailure('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['Id']);
    if (existing.IsDeleted === 1) throw new RecordFailure('ENTITY_IS_DELETED', 'entity is deleted', []);
    const values: Row = {};
    const notWritable: string[] = [];
    for (const [field, raw] of input) {
      if (field.name === 'Id') {
        if (raw !== null && raw !== undefined && normalizeId(String(raw)) !== id)
          throw new RecordFailure(
            'INVALID_ID_FIELD',
            `Record ID: id value of incorrect type: ${String(raw)}`,
            ['Id']
          );
        continue;
      }
      if ((!field.updateable && !ctx.bypassAccess) || field.column === null) {
        notWritable.push(field.name);
        continue;
      }
      values[field.name] = toStored(field, raw, ctx.source);
    }
    if (notWritable.length) throw readOnlyFields(notWritable);
    const fault = this.recordFaultHook?.(object, operation, { ...existing, ...values }, id);
    if (fault) throw fault;
    this.deriveNames(object, values, existing);
    this.validate(object, values, existing);
    const now = this.nowStored();
    const changed = Object.keys(values).filter((k) => values[k] !== existing[k]);
    if (object.fieldIndex.has('lastmodifieddate')) {
      values.LastModifiedDate = now;
      values.LastModifiedById = ctx.userId;
      values.SystemModstamp = now;
    }
    const keys = Object.keys(values);
    if (keys.length) {
      const sql = `UPDATE ${quote(object.table)} SET ${keys.map((k) => `${quote(k)} = ?`).join(', ')} WHERE "Id" = ?`;
      this.prepare(sql).run(...keys.map((k) => values[k] as Stored), id);
    }
    if (object.name === 'Account') {
      const changes = changed
        .map((k) => object.fieldIndex.get(k.toLowerCase()) as FieldDef)
        .filter((f) => f.trackHistory)
        .map((f) => ({ field: f, oldValue: existing[f.name], newValue: values[f.name] }));
      this.recordFieldHistory(id, changes, ctx.userId, now);
    }
  }

  /** Writes AccountHistory rows the way Salesforce does: lookups get an `EntityId` row and a `Text` row. */
  recordFieldHistory(
    accountId: string,
    changes: { field: FieldDef; oldValue: unknown; newValue: unknown }[],
    userId: string,
    at: string
  ): void {
    const rows: {
      field: string;
      dataType: string | null;
      oldValue: string | null;
      newValue: string | null;
    }[] = [];
    for (const { field, oldValue, newValue } of changes) {
      const name = field.custom ? field.name : field.name.replace(/Id$/, '');
      const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
      if (field.type === 'reference') {
        rows.push({ field: name, dataType: 'EntityId', oldValue: str(oldValue), newValue: str(newValue) });
        const nameOf = (v: unknown): string | null => (typeof v === 'string' ? this.recordName(v) : null);
        rows.push({ field: name, dataType: 'Text', oldValue: nameOf(oldValue), newValue: nameOf(newValue) });
      } else {
        const dataType =
          field.type === 'boolean'
            ? 'Boolean'
            : field.type === 'date'
              ? 'Date'
              : field.type === 'datetime'
                ? 'DateTime'
                : ['double', 'int'].includes(field.type)
                  ? 'Double'
                  : field.type === 'currency'
                    ? 'Currency'
                    : field.type === 'percent'
                      ? 'Percent'
                      : 'Text';
        rows.push({ field: name, dataType, oldValue: str(oldValue), newValue: str(newValue) });
      }
    }
    this.writeHistory(accountId, rows, userId, at);
  }

  writeHistory(
    accountId: string,
    rows: { field: string; dataType: string | null; oldValue: string | null; newValue: string | null }[],
    userId: string,
    at: string
  ): void {
    const history = this.object('AccountHistory') as SObjectDef;
    const stmt = this.prepare(
      `INSERT INTO ${quote(history.table)} ("Id", "IsDeleted", "CreatedDate", "CreatedById", "AccountId", "Field", "DataType", "OldValue", "NewValue") VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?)`
    );
    for (const row of rows)
      stmt.run(
        this.newId(history),
        at,
        userId,
        accountId,
        row.field,
        row.dataType,
        row.oldValue,
        row.newValue
      );
  }

  /** Upsert by an external id (or `Id`): DmlResult.created says which happened. */
  upsert(
    object: SObjectDef,
    extField: FieldDef,
    extValue: unknown,
    input: Map<FieldDef, unknown>,
    ctx: DmlContext
  ): DmlResult {
    try {
      if (extValue === null || extValue === undefined || extValue === '') {
        throw new RecordFailure('MISSING_ARGUMENT', `${extField.name} not specified`, [extField.name]);
      }
      if (extField.name === 'Id') {
        this.updateOrThrow(object, String(extValue), input, ctx, 'upsert');
        return { id: normalizeId(String(extValue)), success: true, errors: [], created: false };
      }
      const key = toStored(extField, extValue, ctx.source);
      const matches = this.findIdsByField(object, extField, key);
      if (matches.length > 1) {
        throw new RecordFailure(
          'DUPLICATE_EXTERNAL_ID',
          `${extField.label}: more than one record found for external id field: [${matches.join(', ')}]`,
          [extField.name]
        );
      }
      const withKey = new Map(input);
      withKey.set(extField, extValue);
      if (matches.length === 1) {
        const id = matches[0] as string;
        const forUpdate = new Map(withKey);
        forUpdate.delete(extField);
        this.updateOrThrow(object, id, forUpdate, ctx, 'upsert');
        return { id, success: true, errors: [], created: false };
      }
      const id = this.insertOrThrow(object, withKey, ctx);
      return { id, success: true, errors: [], created: true };
    } catch (error) {
      return { ...this.failure(error), created: false };
    }
  }

  delete(object: SObjectDef, rawId: string, ctx: DmlContext): DmlResult {
    try {
      const id = normalizeId(rawId);
      if (!id) throw new RecordFailure('MALFORMED_ID', `malformed id ${rawId}`, []);
      if (this.objectForId(id) !== object)
        throw new RecordFailure('MALFORMED_ID', `Id ${rawId} is not a ${object.name} Id`, []);
      if (!object.deletable && !ctx.bypassAccess)
        throw new RecordFailure(
          'INVALID_TYPE_FOR_OPERATION',
          `entity type cannot be deleted: ${object.label}`
        );
      const existing = this.findById(object, id, true);
      if (!existing) throw new RecordFailure('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
      if (existing.IsDeleted === 1) throw new RecordFailure('ENTITY_IS_DELETED', 'entity is deleted', []);
      const fault = this.recordFaultHook?.(object, 'delete', existing, id);
      if (fault) throw fault;
      this.softDeleteCascade(object, id, ctx.userId);
      return { id, success: true, errors: [] };
    } catch (error) {
      return this.failure(error);
    }
  }

  /** Marks a record and its cascade-delete children deleted; clears SetNull lookups; refuses Restrict ones. */
  private softDeleteCascade(object: SObjectDef, id: string, userId: string): void {
    const now = this.nowStored();
    for (const { child, field } of this.childLinks.get(object.name.toLowerCase()) ?? []) {
      if (field.column === null) continue;
      const t = quote(child.table);
      const col = quote(field.column);
      if (field.cascadeDelete) {
        const ids = this.prepare<{ Id: string }>(
          `SELECT "Id" FROM ${t} WHERE ${col} = ? AND "IsDeleted" = 0`
        ).all(id);
        for (const row of ids) this.softDeleteCascade(child, row.Id, userId);
      } else if (field.deleteConstraint === 'Restrict') {
        const row = this.prepare<{ Id: string }>(
          `SELECT "Id" FROM ${t} WHERE ${col} = ? AND "IsDeleted" = 0 LIMIT 1`
        ).get(id);
        if (row) {
          throw new RecordFailure(
            'DELETE_FAILED',
            `Your attempt to delete ${this.recordName(id) ?? id} could not be completed because it is associated with the following ${child.labelPlural}: ${row.Id}`,
            []
          );
        }
      } else if (field.deleteConstraint === 'SetNull') {
        this.prepare(`UPDATE ${t} SET ${col} = NULL WHERE ${col} = ? AND "IsDeleted" = 0`).run(id);
      }
    }
    const modstamp = object.fieldIndex.has('systemmodstamp')
      ? ', "SystemModstamp" = ?, "LastModifiedDate" = ?, "LastModifiedById" = ?'
      : '';
    const params: Stored[] = object.fieldIndex.has('systemmodstamp')
      ? [now, now, now, userId, id]
      : [now, id];
    this.prepare(
      `UPDATE ${quote(object.table)} SET "IsDeleted" = 1, "_DeletedDate" = ?${modstamp} WHERE "Id" = ?`
    ).run(...params);
  }

  /** Removes a record for good (Bulk API hardDelete). */
  hardDelete(object: SObjectDef, rawId: string, ctx: DmlContext): DmlResult {
    const soft = this.delete(object, rawId, ctx);
    if (!soft.success) return soft;
    this.prepare(`DELETE FROM ${quote(object.table)} WHERE "Id" = ?`).run(soft.id as string);
    return soft;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export { quote as quoteIdentifier };
