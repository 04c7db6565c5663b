// One NPS figure with its uncertainty: a matrix cell (a button that opens the responses behind it) or a
// read-only badge. Presentational: only @api in, a `cellselect` event out. Every number and word comes
// from c/npsCore; the colour band is a second signal beside the number and the marks, never the only one.
import { LightningElement, api } from 'lwc';
import {
  describeChange,
  formatLabel,
  formatNps,
  formatSigned,
  GOAL_LABELS,
  npsBand,
  type GoalStatus
} from 'c/npsCore';
import { LABELS, MARKS } from './labels';

export default class NpsCell extends LightningElement {
  @api nps: number | null = null;
  @api ciLow: number | null = null;
  @api ciHigh: number | null = null;
  @api responses: number | null = null;
  @api change: number | null = null;
  @api changeSignificant: boolean | null = null;
  /** null: no goal shown (e.g. a team total). */
  @api goalStatus: GoalStatus | null = null;
  /** Row and column names, for the accessible name ("Alice Smith, 2026-Q1: …"). */
  @api rowLabel = '';
  @api columnLabel = '';
  /** 'cell' (interactive, in a grid) or 'badge' (read-only). */
  @api variant: 'cell' | 'badge' = 'cell';
  /** In a grid, the one cell reachable with Tab (roving tabindex); arrows move between cells. */
  @api focusable = false;
  /** Passed back in the `cellselect` event. */
  @api cellKey = '';

  labels = LABELS;
  /**
   * The interval tooltip is in the page only while the cell is hovered or focused: a matrix of 200 CSMs
   * × 24 periods would otherwise build ~3,000 hidden tooltip elements that nobody sees at first paint.
   * (Screen readers get the same facts from the button's accessible name.)
   */
  hovered = false;
  focused = false;

  @api focus(options?: FocusOptions): void {
    this.template?.querySelector<HTMLElement>('button')?.focus(options);
  }

  get hasData(): boolean {
    return this.nps !== null && this.nps !== undefined && (this.responses ?? 0) > 0;
  }

  get isBadge(): boolean {
    return this.variant === 'badge';
  }

  get isInsufficient(): boolean {
    return this.goalStatus === 'insufficient_data';
  }

  get npsText(): string {
    return this.hasData ? formatNps(this.nps as number) : LABELS.noData;
  }

  get responsesText(): string {
    return formatLabel(LABELS.responsesShort, this.responses ?? 0);
  }

  get hasChange(): boolean {
    return this.hasData && this.change !== null && this.change !== undefined;
  }

  get changeText(): string {
    return this.hasChange ? formatSigned(this.change as number) : '';
  }

  /** ▲ or ▼ only when the change is beyond normal variation. */
  get changeMark(): string {
    if (!this.hasChange || this.changeSignificant !== true) return '';
    return (this.change as number) > 0 ? MARKS.up : MARKS.down;
  }

  get goalMark(): string {
    return this.hasData && this.goalStatus ? MARKS[this.goalStatus] : '';
  }

  get intervalText(): string {
    if (!this.hasData || this.ciLow === null || this.ciHigh === null) return '';
    return formatLabel(LABELS.intervalShort, formatNps(this.ciLow), formatNps(this.ciHigh));
  }

  get changeWords(): string {
    return this.hasChange ? describeChange(this.change as number, this.changeSignificant ?? null) : '';
  }

  get goalWords(): string {
    if (!this.hasData || !this.goalStatus) return '';
    return this.isInsufficient
      ? `${GOAL_LABELS[this.goalStatus]} (${LABELS.insufficientShort})`
      : GOAL_LABELS[this.goalStatus];
  }

  /** The whole cell in one sentence, for screen readers. */
  get details(): string {
    if (!this.hasData) return LABELS.noResponses;
    const parts = [
      formatLabel(
        LABELS.npsDetails,
        formatNps(this.nps as number),
        formatNps(this.ciLow ?? 0),
        formatNps(this.ciHigh ?? 0),
        this.responses ?? 0
      )
    ];
    if (this.hasChange) parts.push(formatLabel(LABELS.changeDetails, this.changeWords));
    if (this.goalStatus) parts.push(formatLabel(LABELS.goalDetails, GOAL_LABELS[this.goalStatus]));
    return parts.join(', ');
  }

  get ariaLabel(): string {
    const sentence = formatLabel(LABELS.cellLabel, this.rowLabel, this.columnLabel, this.details);
    return this.hasData && !this.isBadge ? `${sentence}. ${LABELS.openHint}` : sentence;
  }

  get isDisabled(): string | null {
    return this.hasData ? null : 'true';
  }

  get buttonTabIndex(): string {
    return this.focusable ? '0' : '-1';
  }

  get cellClass(): string {
    return `cell band band_${npsBand(this.hasData ? this.nps : null, this.isInsufficient)}`;
  }

  get badgeClass(): string {
    return `badge band band_${npsBand(this.hasData ? this.nps : null, this.isInsufficient)}`;
  }

  get tipShown(): boolean {
    return this.hovered || this.focused;
  }

  handleMouseEnter(): void {
    this.hovered = true;
  }

  handleMouseLeave(): void {
    this.hovered = false;
  }

  handleFocus(): void {
    this.focused = true;
  }

  handleBlur(): void {
    this.focused = false;
  }

  handleClick(): void {
    if (!this.hasData) return;
    this.dispatchEvent(new CustomEvent('cellselect', { detail: { cellKey: this.cellKey } }));
  }
}
