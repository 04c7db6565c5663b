// Reports, custom report types and dashboards as data, so tests can prove what a report computes
// (e.g. "Average of NPS Points, grouped by CSM and month") instead of trusting its name.
// Column names of reports on a custom report type read "<base object>$<field path>", e.g.
// "NPS_Response__c$CSM__c" or "NPS_Response__c$CSM__c.Email" (Metadata API, Report).

import path from 'node:path';
import { defaultSourceDir, listFiles } from './paths';
import { bool, list, num, readMetadataXml, text, texts, type XmlNode } from './xml';

export interface ReportGrouping {
  field: string;
  dateGranularity: string | null;
  sortOrder: string | null;
}

export interface ReportSummaryFormula {
  developerName: string;
  label: string;
  formula: string;
  datatype: string;
  scale: number | null;
  isActive: boolean;
  /** Null when the formula is shown at every row grouping level. */
  downGroupingContext: string | null;
  /** Null when the formula is shown at every column grouping level. */
  acrossGroupingContext: string | null;
}

export interface ReportMetadata {
  folder: string;
  /** Developer name, e.g. "NPS_by_CSM_by_Month"; dashboards refer to "<folder>/<name>". */
  name: string;
  label: string;
  description: string | null;
  /** Report type; a custom report type ends in "__c". */
  reportType: string;
  format: string;
  columns: { field: string; aggregateTypes: string[] }[];
  groupingsDown: ReportGrouping[];
  groupingsAcross: ReportGrouping[];
  summaryFormulas: ReportSummaryFormula[];
  filters: { column: string; operator: string; value: string }[];
  booleanFilter: string | null;
  timeFrame: { dateColumn: string; interval: string } | null;
  showDetails: boolean;
  sortColumn: string | null;
  sortOrder: string | null;
  file: string;
}

export interface ReportTypeMetadata {
  name: string;
  label: string;
  description: string | null;
  baseObject: string;
  deployed: boolean;
  columns: { field: string; table: string; checkedByDefault: boolean; section: string }[];
  file: string;
}

export interface DashboardComponentMetadata {
  report: string;
  componentType: string;
  header: string | null;
  footer: string | null;
  chartSummaries: { column: string; aggregate: string | null }[];
  groupingColumns: string[];
  rowIndex: number | null;
  columnIndex: number | null;
  rowSpan: number | null;
  colSpan: number | null;
}

export interface DashboardMetadata {
  folder: string;
  name: string;
  title: string;
  description: string | null;
  dashboardType: string;
  runningUser: string | null;
  components: DashboardComponentMetadata[];
  file: string;
}

export interface FolderMetadata {
  name: string;
  label: string;
  shares: { accessLevel: string; sharedTo: string; sharedToType: string }[];
  file: string;
}

/** Splits a custom-report-type column such as "NPS_Response__c$CSM__c.Email" into its object and field path. */
export function reportColumnField(column: string): { object: string; fieldPath: string } | null {
  const match = /^([A-Za-z0-9_.]+)\$(.+)$/.exec(column);
  return match ? { object: match[1] as string, fieldPath: match[2] as string } : null;
}

const grouping = (g: XmlNode): ReportGrouping => ({
  field: text(g, 'field') ?? '',
  dateGranularity: text(g, 'dateGranularity') ?? null,
  sortOrder: text(g, 'sortOrder') ?? null
});

export function loadReports(sourceDir: string = defaultSourceDir()): ReportMetadata[] {
  const dir = path.join(sourceDir, 'reports');
  return listFiles(dir, (f) => f.endsWith('.report-meta.xml')).map((file) => {
    const node = readMetadataXml(file, 'Report');
    const filter = list(node, 'filter')[0];
    const timeFrame = list(node, 'timeFrameFilter')[0];
    return {
      folder: path.relative(dir, path.dirname(file)).split(path.sep).join('/'),
      name: path.basename(file, '.report-meta.xml'),
      label: text(node, 'name') ?? '',
      description: text(node, 'description') ?? null,
      reportType: text(node, 'reportType') ?? '',
      format: text(node, 'format') ?? 'Tabular',
      columns: list(node, 'columns').map((c) => ({
        field: text(c, 'field') ?? '',
        aggregateTypes: texts(c, 'aggregateTypes')
      })),
      groupingsDown: list(node, 'groupingsDown').map(grouping),
      groupingsAcross: list(node, 'groupingsAcross').map(grouping),
      summaryFormulas: list(node, 'aggregates').map((a) => ({
        developerName: text(a, 'developerName') ?? '',
        label: text(a, 'masterLabel') ?? '',
        formula: text(a, 'calculatedFormula') ?? '',
        datatype: text(a, 'datatype') ?? '',
        scale: num(a, 'scale', file),
        isActive: bool(a, 'isActive'),
        downGroupingContext: text(a, 'downGroupingContext') ?? null,
        acrossGroupingContext: text(a, 'acrossGroupingContext') ?? null
      })),
      filters: list(filter, 'criteriaItems').map((c) => ({
        column: text(c, 'column') ?? '',
        operator: text(c, 'operator') ?? '',
        value: text(c, 'value') ?? ''
      })),
      booleanFilter: text(filter, 'booleanFilter') ?? null,
      timeFrame: timeFrame
        ? { dateColumn: text(timeFrame, 'dateColumn') ?? '', interval: text(timeFrame, 'interval') ?? '' }
        : null,
      showDetails: bool(node, 'showDetails'),
      sortColumn: text(node, 'sortColumn') ?? null,
      sortOrder: text(node, 'sortOrder') ?? null,
      file
    };
  });
}

export function loadReportTypes(sourceDir: string = defaultSourceDir()): ReportTypeMetadata[] {
  return listFiles(path.join(sourceDir, 'reportTypes'), (f) => f.endsWith('.reportType-meta.xml')).map(
    (file) => {
      const node = readMetadataXml(file, 'ReportType');
      return {
        name: path.basename(file, '.reportType-meta.xml'),
        label: text(node, 'label') ?? '',
        description: text(node, 'description') ?? null,
        baseObject: text(node, 'baseObject') ?? '',
        deployed: bool(node, 'deployed'),
        columns: list(node, 'sections').flatMap((s) =>
          list(s, 'columns').map((c) => ({
            field: text(c, 'field') ?? '',
            table: text(c, 'table') ?? '',
            checkedByDefault: bool(c, 'checkedByDefault'),
            section: text(s, 'masterLabel') ?? ''
          }))
        ),
        file
      };
    }
  );
}

export function loadDashboards(sourceDir: string = defaultSourceDir()): DashboardMetadata[] {
  const dir = path.join(sourceDir, 'dashboards');
  return listFiles(dir, (f) => f.endsWith('.dashboard-meta.xml')).map((file) => {
    const node = readMetadataXml(file, 'Dashboard');
    const grid = list(list(node, 'dashboardGridLayout')[0], 'dashboardGridComponents');
    return {
      folder: path.relative(dir, path.dirname(file)).split(path.sep).join('/'),
      name: path.basename(file, '.dashboard-meta.xml'),
      title: text(node, 'title') ?? '',
      description: text(node, 'description') ?? null,
      dashboardType: text(node, 'dashboardType') ?? 'SpecifiedUser',
      runningUser: text(node, 'runningUser') ?? null,
      components: grid.map((g) => {
        const c = list(g, 'dashboardComponent')[0];
        return {
          report: text(c, 'report') ?? '',
          componentType: text(c, 'componentType') ?? '',
          header: text(c, 'header') ?? null,
          footer: text(c, 'footer') ?? null,
          chartSummaries: list(c, 'chartSummary').map((s) => ({
            column: text(s, 'column') ?? '',
            aggregate: text(s, 'aggregate') ?? null
          })),
          groupingColumns: texts(c, 'groupingColumn'),
          rowIndex: num(g, 'rowIndex', file),
          columnIndex: num(g, 'columnIndex', file),
          rowSpan: num(g, 'rowSpan', file),
          colSpan: num(g, 'colSpan', file)
        };
      }),
      file
    };
  });
}

/** Report and dashboard folders (`reports/X.reportFolder-meta.xml`, `dashboards/X.dashboardFolder-meta.xml`). */
export function loadFolders(
  kind: 'reports' | 'dashboards',
  sourceDir: string = defaultSourceDir()
): FolderMetadata[] {
  const [suffix, root] =
    kind === 'reports'
      ? ['.reportFolder-meta.xml', 'ReportFolder']
      : ['.dashboardFolder-meta.xml', 'DashboardFolder'];
  return listFiles(path.join(sourceDir, kind), (f) => f.endsWith(suffix)).map((file) => {
    const node = readMetadataXml(file, root);
    return {
      name: path.basename(file, suffix),
      label: text(node, 'name') ?? '',
      shares: list(node, 'folderShares').map((s) => ({
        accessLevel: text(s, 'accessLevel') ?? '',
        sharedTo: text(s, 'sharedTo') ?? '',
        sharedToType: text(s, 'sharedToType') ?? ''
      })),
      file
    };
  });
}
