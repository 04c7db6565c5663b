// Source "surveys": Salesforce Surveys. One answer per SurveyQuestionResponse of an NPS question
// (SurveyQuestion.QuestionType = 'NPS'), scored by NumberValue, answered at the SurveyResponse's
// CompletionDateTime. The account is the one the survey is about (SurveySubject with an Account subject,
// on the response or the invitation), else the account of the participant (a Contact).

import { checkNumericScore } from 'c/npsCore';
import type { SurveysConfig } from '../config';
import { epochOf, fetchByIds, idOf, text } from '../lookups';
import type { OrgApi, Row } from '../orgApi';
import { soqlDateTime, soqlStringList } from '../soql';
import {
  BoundaryTracker,
  boundaryKey,
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

export function surveysQuery(config: SurveysConfig, since: number | null): string {
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
  return `SELECT ${FIELDS.join(', ')} FROM SurveyQuestionResponse WHERE ${where.join(' AND ')}`;
}

export async function extractSurveys(
  api: OrgApi,
  config: SurveysConfig,
  window: ExtractWindow,
  onProgress: (read: number) => void
): Promise<Extract> {
  const extract: Extract = {
    answers: [],
    rejected: [],
    deletedSourceIds: [],
    read: 0,
    skipped: 0,
    warnings: [],
    maxModstamp: null,
    boundary: [],
    rejectedSourceIds: []
  };
  const tracker = new BoundaryTracker();
  interface Pending {
    answer: Omit<SourceAnswer, 'accountId' | 'contactId'>;
    responseId: string | null;
    invitationId: string | null;
    participantId: string | null;
    /** The invited contact's account, read with the answer (no extra query). */
    contactAccountId: string | null;
  }
  const pending: Pending[] = [];

  await api.query(surveysQuery(config, window.since), (rows: Row[]) => {
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
      pending.push({
        answer: {
          sourceId: id,
          modstamp,
          score: score.score,
          respondedAt: completedAt,
          comment: null,
          metric: metricOf(config, text(row, 'Question.DeveloperName'), idOf(row, 'QuestionId'))
        },
        responseId: idOf(row, 'ResponseId'),
        invitationId: idOf(row, 'InvitationId') ?? idOf(row, 'Response.InvitationId'),
        participantId: idOf(row, 'Invitation.ParticipantId') ?? idOf(row, 'Response.SubmitterId'),
        contactAccountId: idOf(row, 'Invitation.Contact.AccountId')
      });
    }
    onProgress(extract.read);
  });

  if (window.since !== null) {
    const deleted = await api.queryRows(
      `SELECT Id, SystemModstamp FROM SurveyQuestionResponse WHERE IsDeleted = true AND SystemModstamp >= ${soqlDateTime(window.since)}`,
      { all: true }
    );
    for (const row of deleted) {
      const id = idOf(row, 'Id') as string;
      const modstamp = epochOf(row, 'SystemModstamp') ?? 0;
      tracker.see(id, modstamp);
      if (!window.boundary.has(boundaryKey(id, modstamp))) extract.deletedSourceIds.push(id);
    }
  }
  extract.maxModstamp = tracker.max;
  extract.boundary = tracker.boundary;
  if (pending.length === 0) return extract;

  // The account each survey is about (SurveySubject), by response or invitation.
  const subjectAccount = new Map<string, string>();
  const parents = new Set<string>();
  for (const p of pending) {
    if (p.responseId) parents.add(p.responseId);
    if (p.invitationId) parents.add(p.invitationId);
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
    (rows) => {
      for (const row of rows) {
        const parent = idOf(row, 'ParentId');
        const subject = idOf(row, 'SubjectId');
        if (parent && subject) subjectAccount.set(parent.slice(0, 15), subject);
      }
    }
  );

  // Participants that are Contacts (key prefix 003) whose account did not come with the answer.
  const contactAccount = new Map<string, string | null>();
  const contacts = new Set(
    pending
      .filter((p) => p.contactAccountId === null && p.participantId?.startsWith('003'))
      .map((p) => p.participantId as string)
  );
  await fetchByIds(
    api,
    { select: 'Id, AccountId', from: 'Contact', idField: 'Id', ids: contacts },
    (rows) => {
      for (const row of rows)
        contactAccount.set((idOf(row, 'Id') as string).slice(0, 15), idOf(row, 'AccountId'));
    }
  );

  for (const p of pending) {
    const contactId = p.participantId && p.participantId.startsWith('003') ? p.participantId : null;
    const subject =
      (p.responseId ? subjectAccount.get(p.responseId.slice(0, 15)) : undefined) ??
      (p.invitationId ? subjectAccount.get(p.invitationId.slice(0, 15)) : undefined);
    const accountId =
      subject ??
      p.contactAccountId ??
      (contactId ? (contactAccount.get(contactId.slice(0, 15)) ?? null) : null);
    extract.answers.push({ ...p.answer, accountId, contactId });
  }
  return extract;
}
