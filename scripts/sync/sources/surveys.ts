// Source "surveys": Salesforce Surveys. One answer per SurveyQuestionResponse of an NPS question
// (SurveyQuestion.QuestionType = 'NPS'), scored by NumberValue, answered at the SurveyResponse's
// CompletionDateTime. The account is the one the survey is about (SurveySubject with an Account subject,
// on the response or the invitation), else the account of the participant (a Contact).

import { checkNumericScore } from 'c/npsCore';
import type { SurveysConfig } from '../config';
import { grown, Interner, StringIndex } from '../compact';
import { fitComment } from '../limits';
import { epochOf, fetchByIds, fetchByIdsItems, idOf, text } from '../lookups';
import {
  throwFailure,
  type ApiFailure,
  type OrgApi,
  type QueryItem,
  type QueryPage,
  type Row
} from '../orgApi';
import { soqlDateTime, soqlStringList } from '../soql';
import {
  BoundaryTracker,
  boundaryKey,
  newExtract,
  type AnswerTable,
  type Extract,
  type ExtractWindow,
  type Metric,
  type SourceAnswer
} from './types';

export const SURVEYS_SOURCE = 'Salesforce Surveys';

const FIELDS = [
  'Id',
  'SystemModstamp',
  'NumberValue',
  'QuestionId',
  'Question.DeveloperName',
  'ResponseId',
  'InvitationId',
  'Response.Status',
  'Response.CompletionDateTime',
  'Response.SubmitterId',
  'Response.InvitationId',
  'Response.SystemModstamp',
  'Invitation.ParticipantId',
  'Invitation.Contact.AccountId'
];

/**
 * The metric of a question: as configured (by DeveloperName or Id); otherwise a question whose
 * DeveloperName names the CSM (`csm_likely_to_recommend`, `nps_csm`) is the CSM NPS — so that a survey
 * asking both questions never counts one submission twice in the company NPS — and any other is the
 * default metric.
 */
export function metricOf(
  config: SurveysConfig,
  questionName: string | null,
  questionId: string | null
): Metric {
  const byName = questionName ? config.questions[questionName] : undefined;
  const byId = questionId ? config.questions[questionId] : undefined;
  const configured = byName ?? byId;
  if (configured) return configured;
  if (questionName && /(^|_)csm(_|$)/i.test(questionName)) return 'CSM NPS';
  return config.defaultMetric;
}

/** The WHERE clause of the extract (also used by the SurveySubject semi-joins). */
export function surveysWhere(config: SurveysConfig, since: number | null): string {
  const where = ["Question.QuestionType = 'NPS'"];
  if (since !== null) {
    const at = soqlDateTime(since);
    // A response completed after its answers were saved changes the response, not the answer.
    where.push(`(SystemModstamp >= ${at} OR Response.SystemModstamp >= ${at})`);
  }
  if (config.surveys.length > 0)
    where.push(`Response.Survey.DeveloperName IN (${soqlStringList(config.surveys)})`);
  if (config.onlyListedQuestions) {
    const names = Object.keys(config.questions);
    where.push(names.length > 0 ? `Question.DeveloperName IN (${soqlStringList(names)})` : 'Id = null');
  }
  return where.join(' AND ');
}

export function surveysQuery(config: SurveysConfig, since: number | null): string {
  return `SELECT ${FIELDS.join(', ')} FROM SurveyQuestionResponse WHERE ${surveysWhere(config, since)}`;
}

const SUBJECTS = "SELECT ParentId, SubjectId FROM SurveySubject WHERE SubjectEntityType = 'Account'";
const SUBJECT_ORDER = ' ORDER BY CreatedDate, Id';

/** The account subject of each survey response or invitation (the latest one wins), by 15-character parent Id. */
class SubjectAccounts {
  private readonly parents = new StringIndex();
  private account = new Int32Array(1024);

  constructor(private readonly accounts: Interner) {}

  addRows(rows: Row[]): void {
    for (const row of rows) {
      const parent = idOf(row, 'ParentId');
      const subject = idOf(row, 'SubjectId');
      if (!parent || !subject) continue;
      const i = this.parents.add(parent.slice(0, 15));
      this.account = grown(this.account, i + 1);
      this.account[i] = this.accounts.add(subject);
    }
  }

  get(parent: string | null): string | null {
    if (!parent) return null;
    const i = this.parents.get(parent.slice(0, 15));
    return i < 0 ? null : this.accounts.value(this.account[i] as number);
  }
}

/**
 * Reads the answers changed since the watermark (every answer on a full run) in as few calls as the
 * data allows, and without holding them as objects: one composite request asks for the first page of
 * the answers, the deleted answers and the account subjects of the surveys those answers belong to (two
 * semi-joins on the same filter), the subjects are read to the end, then the answers are read (a page,
 * or a Bulk API stream) and each goes into the answer table with its account at once. Only answers
 * whose account must come from their contact wait for one more lookup. Where the org refuses the
 * semi-joins, the subjects are read by Id list (few answers) or all of them (many).
 */
export async function extractSurveys(
  api: OrgApi,
  config: SurveysConfig,
  window: ExtractWindow,
  onProgress: (read: number) => void
): Promise<Extract> {
  const extract = newExtract();
  const table = extract.answers;
  const tracker = new BoundaryTracker();
  const soql = surveysQuery(config, window.since);
  const where = surveysWhere(config, window.since);
  const deletedSoql =
    window.since === null
      ? null
      : `SELECT Id, SystemModstamp FROM SurveyQuestionResponse WHERE IsDeleted = true AND SystemModstamp >= ${soqlDateTime(window.since)}`;
  const subjectSoql = (field: 'InvitationId' | 'ResponseId') =>
    `${SUBJECTS} AND ParentId IN (SELECT ${field} FROM SurveyQuestionResponse WHERE ${where})${SUBJECT_ORDER}`;
  const queries = [
    { soql },
    { soql: subjectSoql('InvitationId') },
    { soql: subjectSoql('ResponseId') },
    ...(deletedSoql ? [{ soql: deletedSoql, all: true }] : [])
  ];
  const [answersPage, byInvitation, byResponse, deletedPage] = await api.firstPages(queries);
  if (!answersPage?.page) throwFailure(answersPage?.error as ApiFailure, `query ${soql.slice(0, 120)}`);

  const subjects = new SubjectAccounts(table.accounts);
  const semiJoined = Boolean(byInvitation?.page && byResponse?.page);
  if (semiJoined) {
    await api.finish(byInvitation?.page as QueryPage, subjectSoql('InvitationId'), (rows) =>
      subjects.addRows(rows)
    );
    await api.finish(byResponse?.page as QueryPage, subjectSoql('ResponseId'), (rows) =>
      subjects.addRows(rows)
    );
  }

  interface Deferred {
    answer: SourceAnswer;
    contactId: string;
    responseId: string | null;
  }
  const deferred: Deferred[] = [];
  const comments = new ResponseComments(table);
  const take = (rows: Row[]) => {
    for (const row of rows) {
      const id = idOf(row, 'Id') as string;
      const modstamp = Math.max(
        epochOf(row, 'SystemModstamp') ?? 0,
        epochOf(row, 'Response.SystemModstamp') ?? 0
      );
      tracker.see(id, modstamp);
      if (window.boundary.has(boundaryKey(id, modstamp))) continue; // loaded by the previous run, unchanged
      extract.read++;
      const completedAt = epochOf(row, 'Response.CompletionDateTime');
      const status = text(row, 'Response.Status');
      if (completedAt === null || (status !== null && status !== 'Completed')) {
        extract.skipped++; // not answered yet: read again when the response completes
        continue;
      }
      const score = checkNumericScore(row.get('numbervalue') ?? null);
      if (!score.ok) {
        extract.rejected.push({ sourceId: id, reason: `NumberValue: ${score.reason}` });
        extract.rejectedSourceIds.push(id);
        continue;
      }
      const responseId = idOf(row, 'ResponseId');
      const invitationId = idOf(row, 'InvitationId') ?? idOf(row, 'Response.InvitationId');
      const participantId = idOf(row, 'Invitation.ParticipantId') ?? idOf(row, 'Response.SubmitterId');
      const contactId = participantId && participantId.startsWith('003') ? participantId : null;
      const accountId =
        subjects.get(responseId) ?? subjects.get(invitationId) ?? idOf(row, 'Invitation.Contact.AccountId');
      const answer: SourceAnswer = {
        sourceId: id,
        modstamp,
        score: score.score,
        respondedAt: completedAt,
        comment: null,
        metric: metricOf(config, text(row, 'Question.DeveloperName'), idOf(row, 'QuestionId')),
        accountId,
        contactId
      };
      if (accountId === null && contactId !== null) deferred.push({ answer, contactId, responseId });
      else comments.answerOf(table.add(answer), responseId);
    }
    onProgress(extract.read);
  };

  const answers = answersPage.page;
  if (semiJoined) {
    await api.finish(answers, soql, take);
  } else {
    // The org refused the semi-joins: the subjects by Id list (few answers, held meanwhile) or all of them.
    const large = !answers.done && answers.totalSize >= api.bulkThreshold;
    if (large) {
      await api.query(`${SUBJECTS}${SUBJECT_ORDER}`, (rows) => subjects.addRows(rows));
      await api.finish(answers, soql, take);
    } else {
      const held: Row[] = [];
      await api.finish(answers, soql, (rows) => void held.push(...rows));
      const parents = new Set<string>();
      for (const row of held) {
        for (const path of ['ResponseId', 'InvitationId', 'Response.InvitationId']) {
          const parent = idOf(row, path);
          if (parent) parents.add(parent);
        }
      }
      await fetchByIds(
        api,
        {
          select: 'ParentId, SubjectId',
          from: 'SurveySubject',
          idField: 'ParentId',
          ids: parents,
          where: "SubjectEntityType = 'Account'",
          orderBy: 'CreatedDate, Id'
        },
        (rows) => subjects.addRows(rows)
      );
      take(held);
    }
  }

  if (deletedSoql) {
    const deleted: Row[] = [];
    if (!deletedPage?.page)
      throwFailure(deletedPage?.error as ApiFailure, `query ${deletedSoql.slice(0, 120)}`);
    await api.finish(deletedPage.page, deletedSoql, (rows) => void deleted.push(...rows), true);
    for (const row of deleted) {
      const id = idOf(row, 'Id') as string;
      const modstamp = epochOf(row, 'SystemModstamp') ?? 0;
      tracker.see(id, modstamp);
      if (!window.boundary.has(boundaryKey(id, modstamp))) extract.deletedSourceIds.push(id);
    }
  }
  extract.maxModstamp = tracker.max;
  extract.boundary = tracker.boundary;

  // Participants that are Contacts (key prefix 003) whose account came neither with the answer nor from a subject.
  if (deferred.length > 0) {
    const contactAccount = new Map<string, string | null>();
    await fetchByIds(
      api,
      { select: 'Id, AccountId', from: 'Contact', idField: 'Id', ids: deferred.map((d) => d.contactId) },
      (rows) => {
        for (const row of rows)
          contactAccount.set((idOf(row, 'Id') as string).slice(0, 15), idOf(row, 'AccountId'));
      }
    );
    for (const d of deferred)
      comments.answerOf(
        table.add({ ...d.answer, accountId: contactAccount.get(d.contactId.slice(0, 15)) ?? null }),
        d.responseId
      );
  }
  // The comments: the free-text answers of the same survey responses, read with the sync's next reads.
  extract.pendingReads = comments.queries(config.commentQuestions);
  extract.afterReads = () => comments.apply(extract.warnings);
  return extract;
}

/**
 * The comment of each NPS answer: the free-text answers (QuestionType 'FreeText', or the configured
 * commentQuestions) of the same SurveyResponse, read by ResponseId in bulk, joined in question order
 * when a response holds several. Kept compact: one index per answer into the response ids.
 */
class ResponseComments {
  private readonly responses = new StringIndex();
  private responseOf = new Int32Array(1024).fill(-1);
  private readonly texts = new Map<number, { order: number; text: string }[]>();

  constructor(private readonly table: AnswerTable) {}

  /** Answer i (an index of the table) belongs to this SurveyResponse. */
  answerOf(i: number, responseId: string | null): void {
    const before = this.responseOf.length;
    this.responseOf = grown(this.responseOf, i + 1);
    if (this.responseOf.length > before) this.responseOf.fill(-1, before);
    this.responseOf[i] = responseId ? this.responses.add(responseId.slice(0, 15)) : -1;
  }

  queries(questionNames: readonly string[]): QueryItem[] {
    const ids: string[] = [];
    for (let r = 0; r < this.responses.size; r++) ids.push(this.responses.key(r));
    const which =
      questionNames.length > 0
        ? `Question.DeveloperName IN (${soqlStringList(questionNames)})`
        : "Question.QuestionType = 'FreeText'";
    return fetchByIdsItems(
      {
        select: 'ResponseId, ResponseValue, Question.QuestionOrder',
        from: 'SurveyQuestionResponse',
        idField: 'ResponseId',
        ids,
        where: which
      },
      (rows) => {
        for (const row of rows) {
          const responseId = idOf(row, 'ResponseId');
          const value = text(row, 'ResponseValue');
          if (!responseId || value === null || value.trim() === '') continue;
          const r = this.responses.get(responseId.slice(0, 15));
          if (r < 0) continue;
          const list = this.texts.get(r) ?? [];
          list.push({ order: Number(row.get('question.questionorder') ?? 0), text: value });
          this.texts.set(r, list);
        }
      }
    );
  }

  apply(warnings: string[]): void {
    const table = this.table;
    for (let i = 0; i < table.length; i++) {
      const r = i < this.responseOf.length ? (this.responseOf[i] as number) : -1;
      const list = r < 0 ? undefined : this.texts.get(r);
      if (!list) continue;
      const joined = list
        .sort((a, b) => a.order - b.order)
        .map((t) => t.text)
        .join('\n\n');
      table.setComment(i, fitComment(joined, `SurveyQuestionResponse ${table.sourceId(i)}`, warnings));
    }
  }
}
