// NPS by CSM (managers): CSMs × periods from NPS_Snapshot__c — the NPS in each cell with its responses,
// interval, change and goal status; a sparkline per row; the team row; sorting; "My team" or everyone;
// the responses behind a cell on click or Enter; export to CSV. The container: it wires the data (see
// queries.ts) and hands plain values to the presentational children. Figures come from the snapshots or
// from c/npsCore.
import { LightningElement, api, wire } from 'lwc';
import { graphql, type GraphqlResult } from 'lightning/graphql';
import USER_ID from '@salesforce/user/Id';
import {
  formatLabel,
  GROUP_CSV_COLUMNS,
  groupResultsToCsv,
  instantBoundsForLocalDates,
  localDateOf,
  nextPeriodStartDate,
  NPS_BAND_LIMITS,
  periodTypeFromPicklist,
  type CsvValue,
  type GoalStatus,
  type GroupCsvColumn,
  type GroupResult,
  type PeriodType
} from 'c/npsCore';
import {
  describeGraphqlErrors,
  PageChain,
  toResponseRow,
  toSnapshot,
  userDayResolver,
  userToday,
  type ResponseNode,
  type ResponseRow,
  type Snapshot,
  type SnapshotNode
} from 'c/npsData';
import type { TrendPoint } from 'c/npsTrendChart';
import { LABELS, SORT_VALUES } from './labels';
import {
  buildMatrix,
  hasEnoughPeriods,
  UNASSIGNED_KEY,
  type Matrix,
  type MatrixRow,
  type PeriodWindow,
  type SortDirection,
  type SortKey
} from './matrix';
import {
  CELL_RESPONSES_OPERATION,
  CELL_RESPONSES_QUERY,
  cellResponsesWhere,
  PAGE_SIZE,
  SNAPSHOT_PAGE_SIZE,
  SNAPSHOT_UPPER_BOUND,
  SNAPSHOTS_OPERATION,
  SNAPSHOTS_QUERY,
  snapshotsWhere,
  type CellResponsesData,
  type SnapshotsData
} from './queries';

type Scope = 'team' | 'everyone';

/**
 * Large teams: above this many CSM rows the matrix is windowed — only the rows around the visible part
 * of its scroll box are in the page (WINDOW_ROWS of them), the others stand in as empty space of the same
 * height, so that 200 CSMs × 24 periods open as fast as 30 would. Sorting, export, the team row and the
 * keyboard still work on every row: moving past the window moves it.
 */
const WINDOW_ABOVE = 60;
const WINDOW_ROWS = 30;
/** Rows kept above the first visible one (and the least scroll that moves the window). */
const WINDOW_BUFFER = 8;
/**
 * The height of a CSM row while windowed, px: 52 (npsByCsm.css: .matrix-scroll_windowed .csm-row) and the
 * table's 1 px border, until the rendered rows are measured on the first scroll (a theme may differ).
 */
const ROW_HEIGHT = 53;

/** What a cell component receives. */
interface CellView {
  key: string;
  /** The template's key: the column (a row's cells are the same columns whoever the row shows). */
  domKey: string;
  col: number;
  periodLabel: string;
  nps: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  responses: number | null;
  change: number | null;
  changeSignificant: boolean | null;
  goalStatus: GoalStatus | null;
  focusable: boolean;
}

interface RowView {
  key: string;
  /**
   * The template's key. Windowed, the row's place in the window: when the window moves, the same rows of
   * the page show other CSMs and no element is moved (a moved element loses the focus).
   */
  domKey: string;
  index: number;
  /** aria-rowindex: the header is row 1. */
  ariaRowIndex: number;
  name: string;
  trendLabel: string;
  trend: TrendPoint[];
  cells: CellView[];
}

/** The responses behind a cell: whose, which period, and the count the sync stored. */
interface Selection {
  cellKey: string;
  title: string;
  csmIds: (string | null)[];
  periodStart: string;
  periodEnd: string;
  storedResponses: number;
}

const TEAM_KEY = 'team';

export default class NpsByCsm extends LightningElement {
  /** App Builder: Month, Quarter or Fiscal Quarter (Period_Type__c values). */
  @api periodType = 'Quarter';
  /** App Builder: how many periods to show, the current one last (consecutive: an empty one is a column too). */
  @api numberOfPeriods = 6;
  /** App Builder: Company NPS or CSM NPS (Metric__c values). */
  @api metric = 'Company NPS';
  /** App Builder: hide CSMs with fewer than the minimum responses in every period shown. */
  @api hideBelowMinimum = false;
  /** App Builder: Name, NPS, Shrunk NPS or Change. */
  @api defaultSort = 'Name';
  /** App Builder: Everyone or My team. */
  @api defaultScope = 'Everyone';

  labels = LABELS;

  // User choices; null until the user picks, so the App Builder defaults apply.
  chosenScope: Scope | null = null;
  chosenSortKey: SortKey | null = null;
  chosenSortDirection: SortDirection | null = null;

  // Snapshots: pages loaded one after another until the periods to show are complete.
  snapshotAfter: string | null = null;
  snapshots: Snapshot[] = [];
  snapshotsReady = false;
  snapshotsError = '';
  private readonly snapshotPages = new PageChain<SnapshotNode>();
  private snapshotFilterKey = '';

  // Drill-down: the responses behind one cell.
  selection: Selection | null = null;
  drillAfter: string | null = null;
  drillRows: ResponseRow[] = [];
  drillReady = false;
  drillError = '';
  private readonly drillPages = new PageChain<ResponseNode>();
  private drillFilterKey = '';

  /** The grid cell reachable with Tab (roving tabindex): row and column indexes. */
  activeRow = 0;
  activeCol = 0;
  /** First CSM row in the page while windowed. */
  windowStart = 0;
  /** A CSM row's height as rendered (px), for the spacers and the scroll position. */
  rowHeight = ROW_HEIGHT;
  /** A cell to focus once the window has moved to it. */
  private pendingFocus: { row: number; col: number } | null = null;
  /** The window's first row at the last render. */
  private renderedStart = 0;
  statusMessage = '';
  private focusDrillHeading = false;
  private returnFocusTo: { row: number; col: number } | null = null;
  private downloadUrl: string | null = null;
  /** The matrix of the last render inputs (not reactive: a cache, read by several getters per render). */
  private readonly matrixCache: { inputs: unknown[]; matrix: Matrix | null } = { inputs: [], matrix: null };
  /** The user's local date when the component opened: the last column is the period that holds it. */
  private readonly today = userToday();

  // ---------- data ----------

  get scope(): Scope {
    return this.chosenScope ?? (this.defaultScope === 'My team' ? 'team' : 'everyone');
  }

  get sortKey(): SortKey {
    return this.chosenSortKey ?? SORT_VALUES[this.defaultSort as keyof typeof SORT_VALUES] ?? 'name';
  }

  get sortDirection(): SortDirection {
    return this.chosenSortDirection ?? (this.sortKey === 'name' ? 'asc' : 'desc');
  }

  get periodCount(): number {
    const count = Math.floor(Number(this.numberOfPeriods));
    return Number.isFinite(count) && count > 0 ? Math.min(count, 36) : 6;
  }

  get corePeriodType(): PeriodType {
    return periodTypeFromPicklist(this.periodType) ?? 'quarter';
  }

  get snapshotFilter(): Record<string, unknown> {
    return snapshotsWhere({
      periodType: this.periodType,
      metric: this.metric,
      managerId: this.scope === 'team' ? USER_ID : null
    });
  }

  get snapshotVariables(): Record<string, unknown> {
    return {
      where: this.snapshotFilter,
      first: SNAPSHOT_PAGE_SIZE,
      after: this.snapshotAfter,
      upperBound: SNAPSHOT_UPPER_BOUND
    };
  }

  @wire(graphql, {
    query: SNAPSHOTS_QUERY,
    variables: '$snapshotVariables',
    operationName: SNAPSHOTS_OPERATION
  })
  handleSnapshots(result: GraphqlResult<SnapshotsData>): void {
    if (result?.errors?.length) {
      this.snapshotsError = describeGraphqlErrors(result.errors);
      return;
    }
    const page = result?.data?.uiapi?.query?.NPS_Snapshot__c;
    if (!page) return; // still loading
    const filterKey = JSON.stringify(this.snapshotFilter);
    if (filterKey !== this.snapshotFilterKey) {
      // Another filter (scope, settings): start again from its first page.
      this.snapshotPages.reset();
      this.snapshotFilterKey = filterKey;
      if (this.snapshotAfter !== null) {
        this.snapshotAfter = null;
        return;
      }
    }
    this.snapshotsError = '';
    this.snapshotPages.add(this.snapshotAfter, page);
    const loaded = this.snapshotPages.nodes.map(toSnapshot).filter((s): s is Snapshot => s !== null);
    const next = this.snapshotPages.nextCursor;
    if (next && !hasEnoughPeriods(loaded, this.periodWindow)) {
      this.snapshotAfter = next;
      return;
    }
    this.snapshots = loaded;
    this.snapshotsReady = true;
  }

  get drillQuery(): typeof CELL_RESPONSES_QUERY | undefined {
    return this.selection ? CELL_RESPONSES_QUERY : undefined;
  }

  get drillFilter(): Record<string, unknown> | undefined {
    const selection = this.selection;
    if (!selection) return undefined;
    const bounds = instantBoundsForLocalDates(selection.periodStart, selection.periodEnd);
    if (!bounds) return undefined;
    return cellResponsesWhere({ metric: this.metric, csmIds: selection.csmIds, bounds });
  }

  get drillVariables(): Record<string, unknown> | undefined {
    const where = this.drillFilter;
    return where ? { where, first: PAGE_SIZE, after: this.drillAfter } : undefined;
  }

  @wire(graphql, {
    query: '$drillQuery',
    variables: '$drillVariables',
    operationName: CELL_RESPONSES_OPERATION
  })
  handleDrill(result: GraphqlResult<CellResponsesData>): void {
    if (!this.selection) return;
    if (result?.errors?.length) {
      this.drillError = describeGraphqlErrors(result.errors);
      return;
    }
    const page = result?.data?.uiapi?.query?.NPS_Response__c;
    if (!page) return;
    const filterKey = JSON.stringify(this.drillFilter);
    if (filterKey !== this.drillFilterKey) {
      this.drillPages.reset();
      this.drillFilterKey = filterKey;
      if (this.drillAfter !== null) {
        this.drillAfter = null;
        return;
      }
    }
    this.drillError = '';
    this.drillPages.add(this.drillAfter, page);
    const next = this.drillPages.nextCursor;
    if (next) {
      this.drillAfter = next;
      return;
    }
    // The query enclosed the period with a day of margin; keep the answers whose local date is in it.
    const { periodStart, periodEnd } = this.selection;
    const days = userDayResolver();
    this.drillRows = this.drillPages.nodes.map(toResponseRow).filter((row) => {
      const date = localDateOf(row.respondedAt, days);
      return date !== null && date >= periodStart && date < periodEnd;
    });
    this.drillReady = true;
  }

  // ---------- view ----------

  /** The periods to show: the last numberOfPeriods up to the current one. */
  get periodWindow(): PeriodWindow {
    return { numberOfPeriods: this.periodCount, periodType: this.corePeriodType, today: this.today };
  }

  get matrix(): Matrix {
    const inputs = [
      this.snapshots,
      this.periodCount,
      this.corePeriodType,
      this.hideBelowMinimum === true,
      this.sortKey,
      this.sortDirection
    ];
    const cache = this.matrixCache;
    if (cache.matrix && inputs.every((value, i) => value === cache.inputs[i])) return cache.matrix;
    cache.inputs = inputs;
    cache.matrix = buildMatrix(this.snapshots, {
      ...this.periodWindow,
      hideBelowMinimum: this.hideBelowMinimum === true,
      sortKey: this.sortKey,
      sortDirection: this.sortDirection,
      unassignedName: LABELS.unassigned,
      teamName: LABELS.team
    });
    return cache.matrix;
  }

  get isLoading(): boolean {
    return !this.snapshotsReady && !this.snapshotsError;
  }

  get hasError(): boolean {
    return this.snapshotsError !== '';
  }

  get showMatrix(): boolean {
    return this.snapshotsReady && !this.hasError && this.matrix.rows.length > 0;
  }

  get isEmpty(): boolean {
    return this.snapshotsReady && !this.hasError && this.matrix.rows.length === 0;
  }

  /** Why there is nothing to show: no data at all, nobody in the team, everyone hidden, or no recent answer. */
  get emptyMessage(): string {
    if (this.snapshots.length > 0 && this.matrix.hiddenCount > 0) return LABELS.allHidden;
    if (this.snapshots.length > 0) {
      const latest = this.snapshots.reduce((a, b) => (b.periodStart > a.periodStart ? b : a));
      return formatLabel(LABELS.noRecentResponses, this.periodCount, latest.periodLabel);
    }
    if (this.scope === 'team') return LABELS.noTeam;
    return '';
  }

  get emptyHidesSyncHint(): boolean {
    return this.emptyMessage !== '';
  }

  get subtitle(): string {
    return formatLabel(LABELS.subtitle, this.metric, this.periodType, this.periodCount);
  }

  get tableLabel(): string {
    return formatLabel(LABELS.tableLabel, this.metric, this.periodType);
  }

  get hiddenNote(): string {
    const hidden = this.snapshotsReady ? this.matrix.hiddenCount : 0;
    return hidden > 0 && this.matrix.rows.length > 0 ? formatLabel(LABELS.hiddenNote, hidden) : '';
  }

  get legendBands(): string {
    return formatLabel(LABELS.legendBands, NPS_BAND_LIMITS.good, NPS_BAND_LIMITS.excellent);
  }

  get periods(): { key: string; label: string }[] {
    return this.matrix.periods.map((p) => ({ key: p.label, label: p.label }));
  }

  private cellView(
    stop: { row: number; col: number },
    rowIndex: number,
    col: number,
    rowKey: string,
    periodLabel: string,
    value: Snapshot | GroupResult | null,
    goalStatus: GoalStatus | null
  ): CellView {
    return {
      key: `${rowKey}|${periodLabel}`,
      domKey: String(col),
      col,
      periodLabel,
      nps: value?.nps ?? null,
      ciLow: value?.ciLow ?? null,
      ciHigh: value?.ciHigh ?? null,
      responses: value?.responses ?? null,
      change: value?.change ?? null,
      changeSignificant: value?.changeSignificant ?? null,
      goalStatus,
      focusable: rowIndex === stop.row && col === stop.col
    };
  }

  /** The cell in the tab order: the active one, kept inside the grid when rows or columns go away. */
  get tabStop(): { row: number; col: number } {
    const matrix = this.matrix;
    return {
      row: Math.max(0, Math.min(this.activeRow, matrix.rows.length)),
      col: Math.max(0, Math.min(this.activeCol, matrix.periods.length - 1))
    };
  }

  private trendOf(
    values: readonly (Snapshot | GroupResult | null)[],
    labels: readonly string[]
  ): TrendPoint[] {
    return values.map((value, i) => ({
      label: labels[i] ?? '',
      nps: value?.nps ?? null,
      ciLow: value?.ciLow ?? null,
      ciHigh: value?.ciHigh ?? null,
      responses: value?.responses ?? null
    }));
  }

  get windowed(): boolean {
    return this.matrix.rows.length > WINDOW_ABOVE;
  }

  /** The CSM rows in the page: all of them, or the window. */
  private get windowRange(): { start: number; end: number } {
    const total = this.matrix.rows.length;
    if (!this.windowed) return { start: 0, end: total };
    const start = Math.max(0, Math.min(this.windowStart, total - WINDOW_ROWS));
    return { start, end: Math.min(total, start + WINDOW_ROWS) };
  }

  get matrixScrollClass(): string {
    return this.windowed ? 'matrix-scroll matrix-scroll_windowed' : 'matrix-scroll';
  }

  /** Rows of the grid for assistive technology: the header, every CSM row and the team row. */
  get gridRowCount(): number {
    return this.matrix.rows.length + 2;
  }

  get columnCount(): number {
    return this.matrix.periods.length + 2;
  }

  get topSpacerStyle(): string {
    return `height: ${this.windowRange.start * this.rowHeight}px`;
  }

  get bottomSpacerStyle(): string {
    return `height: ${(this.matrix.rows.length - this.windowRange.end) * this.rowHeight}px`;
  }

  get rows(): RowView[] {
    const matrix = this.matrix;
    const { start, end } = this.windowRange;
    const tab = this.tabStop;
    // The cell in the tab order is in the page: a stop outside the window moves to the window's first row.
    const stop =
      tab.row < matrix.rows.length && (tab.row < start || tab.row >= end)
        ? { row: start, col: tab.col }
        : tab;
    const labels = matrix.periods.map((p) => p.label);
    const windowed = this.windowed;
    return matrix.rows.slice(start, end).map((row, i) => ({
      key: row.key,
      domKey: windowed ? `slot-${i}` : row.key,
      index: start + i,
      ariaRowIndex: start + i + 2,
      name: row.name,
      trendLabel: formatLabel(LABELS.trendOf, row.name),
      trend: this.trendOf(row.cells, labels),
      cells: row.cells.map((cell, col) =>
        this.cellView(stop, start + i, col, row.key, labels[col] ?? '', cell, cell?.goalStatus ?? null)
      )
    }));
  }

  get teamRow(): RowView {
    const matrix = this.matrix;
    const stop = this.tabStop;
    const labels = matrix.periods.map((p) => p.label);
    const index = matrix.rows.length;
    return {
      key: TEAM_KEY,
      domKey: TEAM_KEY,
      index,
      ariaRowIndex: index + 2,
      name: LABELS.team,
      trendLabel: formatLabel(LABELS.trendOf, LABELS.team),
      trend: this.trendOf(matrix.team, labels),
      // The team's goal is not shown: goals are set per CSM.
      cells: matrix.team.map((result, col) =>
        this.cellView(stop, index, col, TEAM_KEY, labels[col] ?? '', result, null)
      )
    };
  }

  get scopeOptions(): { value: Scope; label: string; pressed: string; buttonClass: string }[] {
    return (
      [
        ['team', LABELS.myTeam],
        ['everyone', LABELS.everyone]
      ] as const
    ).map(([value, label]) => ({
      value,
      label,
      pressed: String(this.scope === value),
      buttonClass: `slds-button ${this.scope === value ? 'slds-button_brand' : 'slds-button_neutral'} scope-${value}`
    }));
  }

  get sortOptions(): { value: SortKey; label: string; selected: boolean }[] {
    return (
      [
        ['name', LABELS.sortName],
        ['nps', LABELS.sortNps],
        ['shrunkNps', LABELS.sortShrunkNps],
        ['change', LABELS.sortChange]
      ] as const
    ).map(([value, label]) => ({ value, label, selected: this.sortKey === value }));
  }

  get sortDirectionText(): string {
    if (this.sortKey === 'name')
      return this.sortDirection === 'asc' ? LABELS.nameAscending : LABELS.nameDescending;
    return this.sortDirection === 'desc' ? LABELS.descending : LABELS.ascending;
  }

  get drillTitle(): string {
    return this.selection?.title ?? '';
  }

  /** The team's responses come from several CSMs: show whose each one is. */
  get drillShowsCsm(): boolean {
    return this.selection?.cellKey.startsWith(`${TEAM_KEY}|`) === true;
  }

  get exportDisabled(): boolean {
    return !this.showMatrix;
  }

  get drillLoading(): boolean {
    return this.selection !== null && !this.drillReady && !this.drillError;
  }

  get drillCount(): string {
    return formatLabel(LABELS.drillCount, this.drillRows.length);
  }

  /** Said when the list and the stored count differ (time zones, or responses this user cannot see). */
  get drillMismatch(): string {
    if (!this.selection || !this.drillReady || this.drillRows.length === this.selection.storedResponses)
      return '';
    return formatLabel(LABELS.drillMismatch, this.drillRows.length, this.selection.storedResponses);
  }

  // ---------- actions ----------

  handleScope(event: Event): void {
    const value = (event.currentTarget as HTMLElement).dataset.value as Scope;
    if (value === this.scope) return;
    this.chosenScope = value;
    this.snapshotsReady = false;
    this.snapshotsError = '';
    this.snapshotAfter = null;
    this.closeDrill();
  }

  handleSortChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value as SortKey;
    this.chosenSortKey = value;
    this.chosenSortDirection = value === 'name' ? 'asc' : 'desc';
  }

  handleSortDirection(): void {
    this.chosenSortDirection = this.sortDirection === 'asc' ? 'desc' : 'asc';
  }

  handleCellSelect(event: CustomEvent<{ cellKey: string }>): void {
    const [rowKey, periodLabel] = event.detail.cellKey.split('|') as [string, string];
    const matrix = this.matrix;
    const col = matrix.periods.findIndex((p) => p.label === periodLabel);
    const period = matrix.periods[col];
    if (!period?.start) return;
    const periodEnd = nextPeriodStartDate(period.start, this.corePeriodType);
    if (!periodEnd) return;
    let csmIds: (string | null)[];
    let name: string;
    let stored: number;
    let rowIndex: number;
    if (rowKey === TEAM_KEY) {
      csmIds = matrix.rows.map((row) => row.csmId);
      name = LABELS.team;
      stored = matrix.team[col]?.responses ?? 0;
      rowIndex = matrix.rows.length;
    } else {
      rowIndex = matrix.rows.findIndex((row) => row.key === rowKey);
      const row = matrix.rows[rowIndex] as MatrixRow | undefined;
      if (!row) return;
      csmIds = [row.key === UNASSIGNED_KEY ? null : row.csmId];
      name = row.name;
      stored = row.cells[col]?.responses ?? 0;
    }
    // An empty cell (no snapshot, or a period nobody answered in) has no responses behind it.
    if (stored === 0) return;
    this.selection = {
      cellKey: event.detail.cellKey,
      title: formatLabel(LABELS.drillTitle, name, period.label),
      csmIds,
      periodStart: period.start,
      periodEnd,
      storedResponses: stored
    };
    this.returnFocusTo = { row: rowIndex, col };
    this.drillAfter = null;
    this.drillPages.reset();
    this.drillFilterKey = '';
    this.drillRows = [];
    this.drillReady = false;
    this.drillError = '';
    this.focusDrillHeading = true;
  }

  handleCloseDrill(): void {
    const back = this.returnFocusTo;
    this.closeDrill();
    if (back) this.focusCell(back.row, back.col);
  }

  private closeDrill(): void {
    this.selection = null;
    this.drillRows = [];
    this.drillReady = false;
    this.drillError = '';
    this.drillAfter = null;
  }

  /** Arrow keys move between cells (rows include the team row), Home and End go to the row's ends. */
  handleGridKeydown(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (target.dataset?.row === undefined) return;
    const lastRow = this.matrix.rows.length; // the team row
    const lastCol = this.matrix.periods.length - 1;
    let row = Number(target.dataset.row);
    let col = Number(target.dataset.col);
    switch (event.key) {
      case 'ArrowRight':
        col = Math.min(lastCol, col + 1);
        break;
      case 'ArrowLeft':
        col = Math.max(0, col - 1);
        break;
      case 'ArrowDown':
        row = Math.min(lastRow, row + 1);
        break;
      case 'ArrowUp':
        row = Math.max(0, row - 1);
        break;
      case 'Home':
        col = 0;
        if (event.ctrlKey) row = 0;
        break;
      case 'End':
        col = lastCol;
        if (event.ctrlKey) row = lastRow;
        break;
      default:
        return;
    }
    event.preventDefault();
    this.focusCell(row, col);
  }

  handleGridFocus(event: FocusEvent): void {
    const target = event.target as HTMLElement;
    if (target.dataset?.row === undefined) return;
    this.activeRow = Number(target.dataset.row);
    this.activeCol = Number(target.dataset.col);
  }

  /** Windowed: the window follows the scroll box (rows of fixed height), a few rows ahead either way. */
  handleMatrixScroll(event: Event): void {
    if (!this.windowed) return;
    const box = event.currentTarget as HTMLElement;
    const body = this.template?.querySelector<HTMLElement>('tbody');
    // The spacers stand for rows of the height the rendered rows really have (measured here, where the
    // layout is done anyway, not while rendering).
    const height = body?.querySelector('tr.csm-row')?.getBoundingClientRect().height ?? 0;
    if (height > 0 && Math.abs(height - this.rowHeight) > 0.25) this.rowHeight = height;
    const firstVisible = Math.floor((box.scrollTop - (body?.offsetTop ?? 0)) / this.rowHeight);
    const wanted = Math.max(0, Math.min(firstVisible - WINDOW_BUFFER, this.matrix.rows.length - WINDOW_ROWS));
    if (Math.abs(wanted - this.windowRange.start) >= WINDOW_BUFFER / 2) this.windowStart = wanted;
  }

  private focusCell(row: number, col: number): void {
    this.activeRow = row;
    this.activeCol = col;
    const { start, end } = this.windowRange;
    if (row < this.matrix.rows.length && (row < start || row >= end)) {
      // Outside the window: move it there first; the cell is focused once it is rendered.
      this.windowStart = Math.max(0, row - WINDOW_BUFFER);
      this.pendingFocus = { row, col };
      return;
    }
    const cell = this.template?.querySelector<HTMLElement>(
      `c-nps-cell[data-row="${row}"][data-col="${col}"]`
    );
    if (cell) focusInView(cell);
  }

  handleExport(): void {
    const matrix = this.matrix;
    const groups: Record<GroupCsvColumn, CsvValue>[] = [];
    for (const row of matrix.rows) {
      for (const cell of row.cells) if (cell) groups.push(snapshotColumns(row.name, cell));
    }
    // The team row has a line for every column, a period nobody answered in with 0 responses, so that the
    // file holds the columns the matrix shows.
    matrix.team.forEach((result, col) => {
      const period = matrix.periods[col];
      if (result) groups.push({ ...result, csm: LABELS.team });
      else if (period) groups.push(emptyPeriodColumns(LABELS.team, this.metric, period));
    });
    const csv = groupResultsToCsv(groups);
    const last = matrix.periods.at(-1)?.label ?? 'nps';
    const fileName = `nps-by-csm-${this.periodType.toLowerCase().replace(/\s+/g, '-')}-${last}.csv`;
    if (this.downloadUrl) URL.revokeObjectURL(this.downloadUrl);
    // A byte-order mark makes spreadsheet programs read the file as UTF-8 (names with accents).
    this.downloadUrl = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = this.downloadUrl;
    link.download = fileName;
    link.click();
    this.statusMessage = formatLabel(LABELS.exported, groups.length, fileName);
  }

  override renderedCallback(): void {
    const start = this.windowRange.start;
    if (start !== this.renderedStart) {
      this.renderedStart = start;
      // The window moved while a cell had the focus: the page's rows now show other CSMs, so the focus
      // goes back to the active cell (where it still is in the window).
      const focused = this.template?.activeElement as HTMLElement | null | undefined;
      if (!this.pendingFocus && focused?.dataset?.row !== undefined) {
        const { end } = this.windowRange;
        if (this.activeRow >= start && (this.activeRow < end || this.activeRow === this.matrix.rows.length))
          this.pendingFocus = { row: this.activeRow, col: this.activeCol };
      }
    }
    const pending = this.pendingFocus;
    if (pending) {
      const cell = this.template?.querySelector<HTMLElement>(
        `c-nps-cell[data-row="${pending.row}"][data-col="${pending.col}"]`
      );
      if (cell) {
        this.pendingFocus = null;
        focusInView(cell);
      }
    }
    if (this.focusDrillHeading && this.selection) {
      const heading = this.template?.querySelector<HTMLElement>('.drill-heading');
      if (heading) {
        this.focusDrillHeading = false;
        heading.focus();
      }
    }
  }

  override disconnectedCallback(): void {
    if (this.downloadUrl) URL.revokeObjectURL(this.downloadUrl);
    this.downloadUrl = null;
  }
}

/** Focuses a cell and brings it into view by the least scroll (the browser's own scroll on focus centres it). */
function focusInView(cell: HTMLElement): void {
  (cell as HTMLElement & { focus(options?: FocusOptions): void }).focus({ preventScroll: true });
  cell.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
}

/** A period without responses in the columns of the CSV export: no figure, zero counts. */
function emptyPeriodColumns(
  csm: string,
  metric: string,
  period: { label: string; start: string | null }
): Record<GroupCsvColumn, CsvValue> {
  const blank = Object.fromEntries(GROUP_CSV_COLUMNS.map((column) => [column, null])) as Record<
    GroupCsvColumn,
    CsvValue
  >;
  return {
    ...blank,
    csm,
    metric,
    period: period.label,
    periodStart: period.start,
    responses: 0,
    promoters: 0,
    passives: 0,
    detractors: 0
  };
}

/** A stored snapshot in the columns of the CSV export (as `csm-nps report --out` writes a group). */
function snapshotColumns(csm: string, s: Snapshot): Record<GroupCsvColumn, CsvValue> {
  return {
    csm,
    metric: s.metric,
    period: s.periodLabel,
    periodStart: s.periodStart,
    responses: s.responses,
    promoters: s.promoters,
    passives: s.passives,
    detractors: s.detractors,
    nps: s.nps,
    ciLow: s.ciLow,
    ciHigh: s.ciHigh,
    meanScore: s.meanScore,
    shrunkNps: s.shrunkNps,
    change: s.change,
    changeSignificant: s.changeSignificant,
    goalStatus: s.goalStatus,
    probabilityAboveFloor: s.probabilityAboveFloor,
    probabilityImproved: s.probabilityImproved
  };
}
