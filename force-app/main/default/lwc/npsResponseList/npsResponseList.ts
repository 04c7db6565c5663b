// A table of NPS responses: date, account, contact, score with its category, comment, the CSM at the time,
// and whether a detractor was followed up (with a "Mark followed up" action when allowed). Presentational:
// only @api in, a `followup` event out. User text is rendered as text only.
import { LightningElement, api } from 'lwc';
import { categoryOf, formatLabel, isValidScore, localDateOf, type Category } from 'c/npsCore';
import { userDayResolver, type ResponseRow } from 'c/npsData';
import { LABELS } from './labels';

export type { ResponseRow } from 'c/npsData';

interface ResponseView extends ResponseRow {
  date: string;
  scoreText: string;
  categoryText: string;
  badgeClass: string;
  accountText: string;
  contactText: string;
  csmText: string;
  metricText: string;
  commentText: string;
  followedUpText: string;
  canFollowUp: boolean;
  followUpLabel: string;
}

const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  promoter: LABELS.promoter,
  passive: LABELS.passive,
  detractor: LABELS.detractor
};

export default class NpsResponseList extends LightningElement {
  @api responses: ResponseRow[] = [];
  /** Accessible name of the table, e.g. "Responses for Alice Smith, 2026-Q1". */
  @api caption = '';
  @api showAccount = false;
  @api showContact = false;
  @api showCsm = false;
  @api showMetric = false;
  /** Show a "Mark followed up" button for detractors not yet followed up. */
  @api allowFollowUp = false;
  /** Shown instead of the table when there is no response. */
  @api emptyText: string = LABELS.noResponses;

  labels = LABELS;

  get hasResponses(): boolean {
    return Array.isArray(this.responses) && this.responses.length > 0;
  }

  get rows(): ResponseView[] {
    if (!this.hasResponses) return [];
    return this.responses.map((response) => {
      const valid = isValidScore(response.score);
      const category = valid ? categoryOf(response.score as number) : null;
      const who = response.contactName ?? response.accountName ?? LABELS.unknownPerson;
      return {
        ...response,
        date: localDateOf(response.respondedAt, userDayResolver()) ?? LABELS.none,
        scoreText: valid ? String(response.score) : LABELS.none,
        categoryText: category ? CATEGORY_LABELS[category] : LABELS.invalidScore,
        badgeClass: `slds-badge category category_${category ?? 'invalid'}`,
        accountText: response.accountName ?? LABELS.none,
        contactText: response.contactName ?? LABELS.none,
        csmText: response.csmName ?? LABELS.none,
        metricText: response.metric ?? LABELS.none,
        commentText: response.comment ?? '',
        followedUpText: response.followedUp ? LABELS.yes : LABELS.no,
        canFollowUp: this.allowFollowUp && !response.followedUp && category === 'detractor',
        followUpLabel: formatLabel(
          LABELS.markFollowedUpFor,
          who,
          valid ? String(response.score) : LABELS.none
        )
      };
    });
  }

  handleFollowUp(event: Event): void {
    const id = (event.currentTarget as HTMLElement).dataset.id;
    if (id) this.dispatchEvent(new CustomEvent('followup', { detail: { id } }));
  }
}
