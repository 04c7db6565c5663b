// Fault injection for the reliability tests. A rule matches calls (by path, method and count) and
// makes them fail the way Salesforce or the network does: 503, 401 INVALID_SESSION_ID (the session
// is really revoked), 403 REQUEST_LIMIT_EXCEEDED, a connection dropped in the middle of the body, a
// delay, or any status and error code. Record rules make chosen records fail inside a DML call
// (sObject Collections, single-record DML, Bulk API 2.0 ingest), e.g. UNABLE_TO_LOCK_ROW.
// Rules come from `--fault` flags, `startLocalOrg({ faults })` or POST /__admin/faults.

import { z } from 'zod';
import { RecordFailure } from './errors';
import type { SObjectDef } from './schema';

const callMatch = {
  /** Substring of the request path (e.g. `/jobs/ingest`, `/composite/sobjects`). */
  path: z.string().min(1).optional(),
  /** Regular expression over the request path. */
  pathRegex: z.string().min(1).optional(),
  method: z.string().min(1).optional(),
  /** Fail the n-th matching call after the rule is added (1 = the next one). Default 1. */
  nth: z.number().int().positive().optional(),
  /** How many consecutive matching calls fail, starting at `nth`. 0 = every one from then on. Default 1. */
  times: z.number().int().min(0).optional()
};

export const callFaultSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('unavailable'), ...callMatch }).strict(),
  z.object({ type: z.literal('invalidSession'), ...callMatch }).strict(),
  z.object({ type: z.literal('requestLimit'), ...callMatch }).strict(),
  z
    .object({
      type: z.literal('drop'),
      ...callMatch,
      /** Bytes of the response body sent before the socket is destroyed (default: half the body). */
      afterBytes: z.number().int().min(0).optional(),
      /** Drop before the request is processed, instead of after (no side effects). */
      beforeHandling: z.boolean().optional()
    })
    .strict(),
  z.object({ type: z.literal('delay'), ...callMatch, ms: z.number().int().min(0).max(600_000) }).strict(),
  z
    .object({
      type: z.literal('error'),
      ...callMatch,
      status: z.number().int().min(400).max(599),
      errorCode: z.string().min(1),
      message: z.string().optional()
    })
    .strict()
]);

export const recordFaultSchema = z
  .object({
    type: z.literal('recordError'),
    /** Only records of this object (API name). */
    sobject: z.string().min(1).optional(),
    /** Only records whose `field` holds one of `values` (e.g. Source_Id__c of chosen responses). */
    field: z.string().min(1).optional(),
    values: z.array(z.string()).optional(),
    /** Only these record Ids (updates and deletes). */
    ids: z.array(z.string()).optional(),
    /** Only the n-th matching record after the rule is added. */
    nthRecord: z.number().int().positive().optional(),
    /** How many matching records fail; 0 = all. Default: 1 with nthRecord, else all. */
    times: z.number().int().min(0).optional(),
    operations: z.array(z.enum(['insert', 'update', 'upsert', 'delete'])).optional(),
    errorCode: z.string().min(1).default('UNABLE_TO_LOCK_ROW'),
    message: z.string().optional()
  })
  .strict()
  .refine((r) => (r.field === undefined) === (r.values === undefined), {
    message: 'field and values go together'
  });

export const faultRuleSchema = z.union([callFaultSchema, recordFaultSchema]);

export type CallFault = z.infer<typeof callFaultSchema>;
export type RecordFault = z.infer<typeof recordFaultSchema>;
export type FaultRule = z.input<typeof faultRuleSchema>;

interface ActiveCallRule {
  id: string;
  rule: CallFault;
  seen: number;
  fired: number;
}

interface ActiveRecordRule {
  id: string;
  rule: RecordFault;
  seen: number;
  fired: number;
}

export interface FaultSummary {
  id: string;
  rule: CallFault | RecordFault;
  matched: number;
  fired: number;
}

export class FaultInjector {
  private calls: ActiveCallRule[] = [];
  private records: ActiveRecordRule[] = [];
  private counter = 1;
  /** Every fault that fired, in order, for tests and the torture suite's report. */
  readonly log: { id: string; type: string; path?: string; recordId?: string | null }[] = [];

  /** Validates and adds a rule; returns its id. Throws a ZodError naming what is wrong. */
  add(input: unknown): string {
    const rule = faultRuleSchema.parse(input);
    const id = `fault-${this.counter++}`;
    if (rule.type === 'recordError') this.records.push({ id, rule, seen: 0, fired: 0 });
    else this.calls.push({ id, rule, seen: 0, fired: 0 });
    return id;
  }

  remove(id: string): boolean {
    const before = this.calls.length + this.records.length;
    this.calls = this.calls.filter((r) => r.id !== id);
    this.records = this.records.filter((r) => r.id !== id);
    return this.calls.length + this.records.length < before;
  }

  clear(): void {
    this.calls = [];
    this.records = [];
  }

  list(): FaultSummary[] {
    return [...this.calls, ...this.records].map((r) => ({
      id: r.id,
      rule: r.rule,
      matched: r.seen,
      fired: r.fired
    }));
  }

  /** The fault for this call, if a rule fires (each rule counts the calls it matches). */
  forCall(method: string, path: string): CallFault | null {
    let hit: CallFault | null = null;
    for (const active of this.calls) {
      const { rule } = active;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.path && !path.includes(rule.path)) continue;
      if (rule.pathRegex && !new RegExp(rule.pathRegex).test(path)) continue;
      active.seen++;
      const nth = rule.nth ?? 1;
      const times = rule.times ?? 1;
      const fires = active.seen >= nth && (times === 0 || active.seen < nth + times);
      if (fires && !hit) {
        active.fired++;
        hit = rule;
        this.log.push({ id: active.id, type: rule.type, path });
      }
    }
    return hit;
  }

  /** The failure for this record, if a record rule fires. */
  forRecord(
    object: SObjectDef,
    operation: 'insert' | 'update' | 'upsert' | 'delete',
    values: Record<string, unknown>,
    id: string | null
  ): RecordFailure | null {
    for (const active of this.records) {
      const { rule } = active;
      if (rule.sobject && rule.sobject.toLowerCase() !== object.name.toLowerCase()) continue;
      if (rule.operations && !rule.operations.includes(operation)) continue;
      if (rule.ids && (!id || !rule.ids.some((x) => x.slice(0, 15) === id.slice(0, 15)))) continue;
      if (rule.field && rule.values) {
        const key = Object.keys(values).find((k) => k.toLowerCase() === rule.field?.toLowerCase());
        const value = key === undefined ? undefined : values[key];
        if (value === null || value === undefined || !rule.values.includes(String(value))) continue;
      }
      active.seen++;
      const nth = rule.nthRecord ?? 1;
      const times = rule.times ?? (rule.nthRecord ? 1 : 0);
      const fires = active.seen >= nth && (times === 0 || active.seen < nth + times);
      if (!fires) continue;
      active.fired++;
      this.log.push({ id: active.id, type: rule.type, recordId: id });
      const message =
        rule.message ??
        (rule.errorCode === 'UNABLE_TO_LOCK_ROW'
          ? 'unable to obtain exclusive access to this record or 1 records'
          : `${rule.errorCode} (local org fault injection)`);
      return new RecordFailure(rule.errorCode, message, []);
    }
    return null;
  }
}
