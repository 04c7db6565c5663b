// The reports and the dashboard show the real NPS: Average of NPS_Points__c (labelled NPS) grouped by
// CSM and month or quarter. Proven two ways: the report XML says so (grouping, granularity, summary
// formula at every level), and running the reports' own definitions over sample responses gives the
// same NPS as the calculation core (c/npsCore npsOf) for every CSM and month.

import { countScores, npsOf } from 'c/npsCore';
import {
  evaluateFormulaField,
  loadDashboards,
  loadFolders,
  loadMetadata,
  loadReports,
  loadReportTypes,
  reportColumnField,
  type ReportMetadata
} from '../index';

const model = loadMetadata();
const reports = loadReports();
const reportTypes = loadReportTypes();
const [dashboard] = loadDashboards();
const report = (name: string): ReportMetadata => {
  const found = reports.find((r) => r.name === name);
  if (!found) throw new Error(`report ${name} is missing from force-app/main/default/reports/CSM_NPS`);
  return found;
};
const R = 'NPS_Response__c$';
const NPS_FORMULA = {
  label: 'NPS',
  formula: 'NPS_Response__c.NPS_Points__c:AVG',
  datatype: 'number',
  isActive: true,
  downGroupingContext: null,
  acrossGroupingContext: null
};

describe('NPS by CSM by Month', () => {
  const r = report('NPS_by_CSM_by_Month');
  test('is a matrix: CSM (at the time of the answer) down, calendar month of Responded At across', () => {
    expect(r.format).toBe('Matrix');
    expect(r.groupingsDown.map((g) => g.field)).toEqual([`${R}CSM__c`]);
    expect(r.groupingsAcross).toEqual([
      { field: `${R}Responded_At__c`, dateGranularity: 'Month', sortOrder: 'Asc' }
    ]);
  });
  test('summarises Average of NPS Points, labelled NPS, in every cell and total', () => {
    expect(r.summaryFormulas).toEqual([expect.objectContaining(NPS_FORMULA)]);
  });
  test('counts Company NPS answers only, with a filter the viewer can change to CSM NPS', () => {
    expect(r.filters).toEqual([{ column: `${R}Metric__c`, operator: 'equals', value: 'Company NPS' }]);
  });
  test('covers last and this calendar year', () => {
    expect(r.timeFrame).toEqual({ dateColumn: `${R}Responded_At__c`, interval: 'INTERVAL_PREVCURY' });
  });
});

describe('NPS by CSM by Quarter', () => {
  const r = report('NPS_by_CSM_by_Quarter');
  test('is the same matrix by calendar quarter', () => {
    expect(r.format).toBe('Matrix');
    expect(r.groupingsDown.map((g) => g.field)).toEqual([`${R}CSM__c`]);
    expect(r.groupingsAcross).toEqual([
      { field: `${R}Responded_At__c`, dateGranularity: 'Quarter', sortOrder: 'Asc' }
    ]);
    expect(r.summaryFormulas).toEqual([expect.objectContaining(NPS_FORMULA)]);
    expect(r.filters).toEqual(report('NPS_by_CSM_by_Month').filters);
  });
});

describe('Detractors to Follow Up', () => {
  const r = report('Detractors_to_Follow_Up');
  test('lists detractors not yet followed up, from the last 90 days, by CSM, newest first', () => {
    expect(r.filters).toEqual([
      { column: `${R}Category__c`, operator: 'equals', value: 'Detractor' },
      { column: `${R}Followed_Up__c`, operator: 'equals', value: '0' }
    ]);
    expect(r.booleanFilter).toBeNull(); // all criteria apply
    expect(r.timeFrame).toEqual({ dateColumn: `${R}Responded_At__c`, interval: 'INTERVAL_LAST90' });
    expect(r.groupingsDown.map((g) => g.field)).toEqual([`${R}CSM__c`]);
    expect(r.showDetails).toBe(true);
    expect(r.columns.map((c) => c.field)).toEqual(
      expect.arrayContaining([`${R}Account__c`, `${R}Score__c`, `${R}Comment__c`, `${R}Responded_At__c`])
    );
    expect([r.sortColumn, r.sortOrder]).toEqual([`${R}Responded_At__c`, 'Desc']);
  });
});

describe('every report', () => {
  test.each(reports.map((r) => [r.name, r] as const))(
    '%s: is in the CSM_NPS folder, on the NPS Responses report type, and uses only its columns',
    (_, r) => {
      expect(r.folder).toBe('CSM_NPS');
      expect(r.reportType).toBe('NPS_Responses__c');
      const type = reportTypes.find((t) => `${t.name}__c` === r.reportType);
      const offered = new Set(type?.columns.map((c) => `${c.table}$${c.field}`));
      const used = [
        ...r.columns.map((c) => c.field),
        ...r.groupingsDown.map((g) => g.field),
        ...r.groupingsAcross.map((g) => g.field),
        ...r.filters.map((f) => f.column),
        ...(r.timeFrame ? [r.timeFrame.dateColumn] : []),
        ...(r.sortColumn ? [r.sortColumn] : [])
      ];
      expect(used.filter((c) => !offered.has(c))).toEqual([]);
      for (const formula of r.summaryFormulas) {
        for (const [, object, field] of formula.formula.matchAll(
          /([A-Za-z0-9_]+)\.([A-Za-z0-9_]+):(SUM|AVG|MIN|MAX)/g
        )) {
          expect(offered.has(`${object}$${field}`)).toBe(true);
        }
      }
    }
  );
});

describe('report types', () => {
  test.each(reportTypes.map((t) => [t.name, t] as const))(
    '%s: deployed, and every column is a field of its object (or reached through a lookup)',
    (_, type) => {
      expect(type.deployed).toBe(true);
      expect(type.description?.length ?? 0).toBeGreaterThan(20);
      for (const column of type.columns) {
        expect(column.table).toBe(type.baseObject);
        const [first, ...rest] = column.field.split('.');
        const field =
          model.findField(type.baseObject, first as string) ?? model.findField(type.baseObject, `${first}Id`);
        expect({ column: column.field, found: field !== undefined }).toEqual({
          column: column.field,
          found: true
        });
        if (rest.length > 0) expect(field?.referenceTo).toBeTruthy(); // a lookup, whose parent's fields follow
      }
    }
  );
  test('the responses report type offers the CSM lookup and the CSM user fields', () => {
    const type = reportTypes.find((t) => t.name === 'NPS_Responses');
    expect(type?.baseObject).toBe('NPS_Response__c');
    expect(type?.columns.map((c) => c.field)).toEqual(
      expect.arrayContaining([
        'CSM__c',
        'NPS_Points__c',
        'Responded_At__c',
        'CSM__c.Email',
        'CSM__c.IsActive'
      ])
    );
  });
});

// ---- running the report definitions over sample data --------------------------------------------

interface Row extends Record<string, unknown> {
  CSM__c: string | null;
  Responded_At__c: string;
  Score__c: number;
  Metric__c: string;
}

/** Groups rows the way a report does: each grouping field, dates by calendar month or quarter (UTC). */
function groupKey(row: Row, groupings: ReportMetadata['groupingsDown']): string {
  return groupings
    .map((g) => {
      const field = reportColumnField(g.field)?.fieldPath as string;
      const value = row[field];
      if (g.dateGranularity === 'Month') return String(value).slice(0, 7);
      if (g.dateGranularity === 'Quarter')
        return `${String(value).slice(0, 4)}-Q${Math.ceil(Number(String(value).slice(5, 7)) / 3)}`;
      return String(value);
    })
    .join(' | ');
}

function runReport(r: ReportMetadata, rows: Row[]): Map<string, { nps: number; count: number }> {
  const filtered = rows.filter((row) =>
    r.filters.every(
      (f) =>
        f.operator === 'equals' && String(row[reportColumnField(f.column)?.fieldPath as string]) === f.value
    )
  );
  const [formula] = r.summaryFormulas;
  const [, , field, aggregate] =
    /^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+):(AVG)$/.exec(formula?.formula ?? '') ?? [];
  expect(aggregate).toBe('AVG');
  const cells = new Map<string, number[]>();
  for (const row of filtered) {
    const key = groupKey(row, [...r.groupingsDown, ...r.groupingsAcross]);
    const response = model.getObject('NPS_Response__c');
    const value =
      field === 'NPS_Points__c'
        ? (evaluateFormulaField(response, 'NPS_Points__c', row) as number)
        : (row[field as string] as number);
    cells.set(key, [...(cells.get(key) ?? []), value]);
  }
  return new Map(
    [...cells].map(([key, values]) => [
      key,
      { nps: values.reduce((a, b) => a + b, 0) / values.length, count: values.length }
    ])
  );
}

const SAMPLE: Row[] = [
  ['005A', '2025-01-03T09:00:00Z', 10],
  ['005A', '2025-01-15T09:00:00Z', 9],
  ['005A', '2025-01-20T09:00:00Z', 3],
  ['005A', '2025-02-02T09:00:00Z', 7],
  ['005A', '2025-02-27T09:00:00Z', 0],
  ['005A', '2025-04-01T09:00:00Z', 10],
  ['005B', '2025-01-09T09:00:00Z', 8],
  ['005B', '2025-01-10T09:00:00Z', 6],
  ['005B', '2025-03-31T23:00:00Z', 9],
  [null, '2025-01-11T09:00:00Z', 10]
].map(([csm, at, score]) => ({
  CSM__c: csm as string | null,
  Responded_At__c: at as string,
  Score__c: score as number,
  Metric__c: 'Company NPS'
}));
SAMPLE.push({ CSM__c: '005A', Responded_At__c: '2025-01-04T09:00:00Z', Score__c: 0, Metric__c: 'CSM NPS' });

test.each([
  ['NPS_by_CSM_by_Month', (at: string) => at.slice(0, 7)],
  ['NPS_by_CSM_by_Quarter', (at: string) => `${at.slice(0, 4)}-Q${Math.ceil(Number(at.slice(5, 7)) / 3)}`]
])('%s gives, for every CSM and period, the NPS of the calculation core', (name, period) => {
  const result = runReport(report(name), SAMPLE);
  const companyRows = SAMPLE.filter((r) => r.Metric__c === 'Company NPS');
  const expected = new Map<string, number[]>();
  for (const row of companyRows) {
    const key = `${String(row.CSM__c)} | ${period(row.Responded_At__c)}`;
    expected.set(key, [...(expected.get(key) ?? []), row.Score__c]);
  }
  expect([...result.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [key, scores] of expected) {
    expect(result.get(key)?.nps).toBeCloseTo(npsOf(countScores(scores)) as number, 10);
    expect(result.get(key)?.count).toBe(scores.length);
  }
  if (name === 'NPS_by_CSM_by_Month') {
    expect(result.get('005A | 2025-01')).toEqual({ nps: (100 * (2 - 1)) / 3, count: 3 }); // 10, 9, 3: the CSM NPS 0 is filtered out
    expect(result.get('005B | 2025-01')).toEqual({ nps: -50, count: 2 });
  }
});

// ---- the dashboard ------------------------------------------------------------------------------

describe('the CSM NPS dashboard', () => {
  test('exists in the CSM_NPS folder and runs as the viewer (no username baked in, sharing respected)', () => {
    expect(dashboard?.folder).toBe('CSM_NPS');
    expect(dashboard?.title).toBe('CSM NPS');
    expect(dashboard?.dashboardType).toBe('LoggedInUser');
    expect(dashboard?.runningUser).toBeNull();
  });
  test('is built on the reports, charting NPS (the summary formula) or the record count by their groupings', () => {
    const components = dashboard?.components ?? [];
    expect(components.length).toBeGreaterThanOrEqual(5);
    for (const c of components) {
      const [folder, name] = c.report.split('/');
      const r = report(name as string);
      expect(folder).toBe(r.folder);
      for (const summary of c.chartSummaries)
        expect(['RowCount', ...r.summaryFormulas.map((f) => f.developerName)]).toContain(summary.column);
      const groupings = [...r.groupingsDown, ...r.groupingsAcross].map((g) => g.field);
      for (const g of c.groupingColumns) expect(groupings).toContain(g);
    }
    const used = new Set(components.map((c) => c.report.split('/')[1]));
    for (const name of ['NPS_by_CSM_by_Month', 'NPS_by_CSM_by_Quarter', 'Detractors_to_Follow_Up'])
      expect(used).toContain(name);
    const monthly = components.find((c) => c.report.endsWith('/NPS_by_CSM_by_Month'));
    expect(monthly?.groupingColumns).toEqual([`${R}Responded_At__c`, `${R}CSM__c`]);
    expect(monthly?.chartSummaries).toEqual([{ column: 'FORMULA1', aggregate: null }]);
  });
  test('tiles fit the 12-column grid without overlapping', () => {
    const taken = new Set<string>();
    for (const c of dashboard?.components ?? []) {
      expect((c.columnIndex ?? 0) + (c.colSpan ?? 0)).toBeLessThanOrEqual(12);
      for (let row = c.rowIndex ?? 0; row < (c.rowIndex ?? 0) + (c.rowSpan ?? 0); row++) {
        for (let col = c.columnIndex ?? 0; col < (c.columnIndex ?? 0) + (c.colSpan ?? 0); col++) {
          expect(taken.has(`${row},${col}`)).toBe(false);
          taken.add(`${row},${col}`);
        }
      }
    }
  });
});

test('the report and dashboard folders are named CSM NPS and shared read-only with internal users', () => {
  for (const kind of ['reports', 'dashboards'] as const) {
    expect(loadFolders(kind)).toEqual([
      expect.objectContaining({
        name: 'CSM_NPS',
        label: 'CSM NPS',
        shares: [{ accessLevel: 'View', sharedTo: 'AllInternalUsers', sharedToType: 'Group' }]
      })
    ]);
  }
});
