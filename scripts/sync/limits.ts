// What NPS_Response__c can hold, checked before a record is sent: a value Salesforce refuses would
// otherwise fail its record on every run (a long comment, a long id) or — a DateTime out of range is a
// request-level JSON_PARSER_ERROR — the whole batch of 200 with it, so that one bad row stopped every
// run. Checked where each source reads its records, so the message names the CSV line or the record.

/** NPS_Response__c.Source_Id__c: Text(255). */
export const SOURCE_ID_MAX_LENGTH = 255;
/** NPS_Response__c.Comment__c: Long Text Area(32768). */
export const COMMENT_MAX_LENGTH = 32_768;

/** Salesforce Date and DateTime fields hold 1700-01-01T00:00:00Z to 4000-12-31T00:00:00Z (SOAP API Developer Guide, "Primitive Data Types"). */
export const EARLIEST = Date.UTC(1700, 0, 1);
export const LATEST = Date.UTC(4000, 11, 31);

/** Why an answer time cannot be stored in Responded_At__c ("is outside …"), or null when it can. */
export function unstorableTime(epochMs: number): string | null {
  if (epochMs >= EARLIEST && epochMs <= LATEST) return null;
  return 'is outside the dates Salesforce can store (1700-01-01 to 4000-12-31)';
}

/** Why a source id cannot be Source_Id__c, or null when it can. */
export function unstorableSourceId(sourceId: string): string | null {
  if (sourceId.length <= SOURCE_ID_MAX_LENGTH) return null;
  return `the id is ${sourceId.length.toLocaleString('en-US')} characters long as NPS_Response__c.Source_Id__c ("${sourceId.slice(0, 30)}…"); it holds ${SOURCE_ID_MAX_LENGTH}`;
}

/**
 * The comment as Comment__c can hold it: the first 32,768 characters (never half of a surrogate pair),
 * and a warning naming the record. The answer itself is kept: its score is valid data.
 */
export function fitComment(comment: string | null, record: string, warnings: string[]): string | null {
  if (comment === null || comment.length <= COMMENT_MAX_LENGTH) return comment;
  let end = COMMENT_MAX_LENGTH;
  const last = comment.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // keep a character whole
  warnings.push(
    `${record}: the comment is ${comment.length.toLocaleString('en-US')} characters; NPS_Response__c.Comment__c holds ${COMMENT_MAX_LENGTH.toLocaleString('en-US')}, so the first ${end.toLocaleString('en-US')} are kept (the score counts as usual)`
  );
  return comment.slice(0, end);
}
