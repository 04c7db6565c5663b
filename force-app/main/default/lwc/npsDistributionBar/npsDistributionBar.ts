// The promoter / passive / detractor split as a stacked bar with a text legend (counts and shares), so
// the split reads without colour. Presentational: only @api in. Shares come from c/npsCore.
import { LightningElement, api } from 'lwc';
import { categoryShares, formatLabel, formatShare } from 'c/npsCore';
import { LABELS } from './labels';

interface Segment {
  key: 'detractors' | 'passives' | 'promoters';
  label: string;
  count: number;
  share: string;
  text: string;
  style: string;
  segmentClass: string;
  swatchClass: string;
}

export default class NpsDistributionBar extends LightningElement {
  @api promoters = 0;
  @api passives = 0;
  @api detractors = 0;
  /** What the split is of, e.g. "2026-Q1 responses": the start of its accessible name. */
  @api barLabel = '';

  get segments(): Segment[] {
    const counts = {
      promoters: this.promoters ?? 0,
      passives: this.passives ?? 0,
      detractors: this.detractors ?? 0
    };
    const shares = categoryShares(counts);
    // Detractors first, promoters last: the bar reads from bad to good, left to right.
    return (['detractors', 'passives', 'promoters'] as const).map((key) => {
      const share = shares ? shares[key] : 0;
      const shareText = formatShare(share);
      return {
        key,
        label: LABELS[key],
        count: counts[key],
        share: shareText,
        text: formatLabel(LABELS.item, LABELS[key], counts[key], shareText),
        style: `width: ${share * 100}%`,
        segmentClass: `segment segment_${key}`,
        swatchClass: `swatch segment_${key}`
      };
    });
  }

  get hasResponses(): boolean {
    return (this.promoters ?? 0) + (this.passives ?? 0) + (this.detractors ?? 0) > 0;
  }

  get summary(): string {
    if (!this.hasResponses) return formatLabel(LABELS.empty, this.barLabel);
    return formatLabel(LABELS.summary, this.barLabel, this.segments.map((s) => s.text).join(', '));
  }
}
