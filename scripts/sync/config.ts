// csm-nps.config.json: where the answers come from and how they map, validated against a schema with
// errors that name the key and the fix. JSON with comments (jsonc-parser); `csm-nps init` writes a
// commented starting file (CONFIG_TEMPLATE).

import { readFile } from 'node:fs/promises';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { ConfigError } from './errors';

export const CONFIG_FILE = 'csm-nps.config.json';
export const METRICS = ['Company NPS', 'CSM NPS'] as const;

/** A Salesforce API name: letters, digits and single underscores (custom names end in __c). */
const apiName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]*$/,
    'must be a Salesforce API name (letters, digits, underscores), e.g. Score__c'
  );
/** A field path that may cross lookups, e.g. Contact__r.AccountId. */
const fieldPath = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/,
    'must be a field API name, or one lookup hop such as Contact__r.AccountId'
  );
const metric = z.enum(METRICS, { message: `must be "${METRICS[0]}" or "${METRICS[1]}"` });

const surveysSchema = z
  .object({
    surveys: z.array(z.string().min(1)).default([]),
    questions: z.record(z.string().min(1), metric).default({}),
    onlyListedQuestions: z.boolean().default(false),
    defaultMetric: metric.default('Company NPS'),
    /**
     * DeveloperNames of the free-text questions whose answer is the comment of the NPS answers of the
     * same survey response; empty: every free-text question (QuestionType 'FreeText') of the response.
     */
    commentQuestions: z.array(z.string().min(1)).default([])
  })
  .strict();

const objectSchema = z
  .object({
    name: apiName,
    fields: z
      .object({
        id: fieldPath.default('Id'),
        score: fieldPath,
        respondedAt: fieldPath,
        account: fieldPath.optional(),
        contact: fieldPath.optional(),
        comment: fieldPath.optional(),
        metric: fieldPath.optional()
      })
      .strict(),
    defaultMetric: metric.default('Company NPS')
  })
  .strict();

const csvSchema = z.object({ file: z.string().min(1, 'needs the path of the CSV file') }).strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    source: z
      .enum(['surveys', 'object', 'csv'], { message: 'must be "surveys", "object" or "csv"' })
      .default('surveys'),
    surveys: surveysSchema.default({
      surveys: [],
      questions: {},
      onlyListedQuestions: false,
      defaultMetric: 'Company NPS',
      commentQuestions: []
    }),
    object: objectSchema.optional(),
    csv: csvSchema.optional(),
    csmField: apiName.optional(),
    unassignedOwners: z
      .array(z.string().regex(/^005[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/, 'must be User Ids (005…)'))
      .default([]),
    targetOrg: z.string().min(1).optional(),
    apiVersion: z
      .string()
      .regex(/^\d{2,3}\.0$/, 'must look like "64.0"')
      .optional(),
    bulkThreshold: z.number().int().min(1).default(2000),
    maxRetries: z.number().int().min(0).max(10).default(5),
    timeoutSeconds: z.number().min(1).max(3600).default(120)
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.source === 'object' && !config.object) {
      ctx.addIssue({
        code: 'custom',
        path: ['object'],
        message:
          'is required when "source" is "object": give the object name and its field mapping (see `csm-nps init --source object`)'
      });
    }
    if (config.source === 'csv' && !config.csv) {
      ctx.addIssue({
        code: 'custom',
        path: ['csv'],
        message: 'is required when "source" is "csv": { "file": "answers.csv" } (or pass --csv FILE)'
      });
    }
  });

export type SyncConfig = z.output<typeof configSchema>;
export type SurveysConfig = z.output<typeof surveysSchema>;
export type ObjectSourceConfig = z.output<typeof objectSchema>;

/** The defaults of the top-level settings, named in messages ("remove the key to use 2000"). */
const TOP_LEVEL_DEFAULTS: Record<string, unknown> = configSchema.parse({});

const EXPECTED_WORDS: Record<string, string> = {
  int: 'a whole number without quotes',
  number: 'a number without quotes',
  string: 'a text in double quotes',
  boolean: 'true or false without quotes',
  array: 'a list [ … ]',
  object: 'an object { … }'
};

/**
 * One problem in words a person can act on. zod's own text ("Invalid input: expected number, received
 * string") says what is wrong but not what to write instead: the expected type or bound is spelled out,
 * with the default where removing the key gives one.
 */
function configIssueMessage(issue: z.core.$ZodIssue): string {
  const top = issue.path.length === 1 ? String(issue.path[0]) : null;
  const fallback =
    top !== null && TOP_LEVEL_DEFAULTS[top] !== undefined && typeof TOP_LEVEL_DEFAULTS[top] !== 'object'
      ? ` (or remove the key to use the default, ${JSON.stringify(TOP_LEVEL_DEFAULTS[top])})`
      : '';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `"${k}"`).join(', ')}: check the spelling (see \`csm-nps init\`)`;
    case 'invalid_type':
      // zod's message is kept where a schema gave its own; the generic one is replaced.
      if (!/^Invalid input/.test(issue.message)) return issue.message;
      return `must be ${EXPECTED_WORDS[issue.expected] ?? `a ${issue.expected}`}${fallback}`;
    case 'too_small':
      if (!/^Too small/.test(issue.message)) return issue.message;
      return `must be at least ${String(issue.minimum)}${fallback}`;
    case 'too_big':
      if (!/^Too big/.test(issue.message)) return issue.message;
      return `must be at most ${String(issue.maximum)}${fallback}`;
    default:
      return issue.message;
  }
}

/** Checks a parsed configuration; throws ConfigError listing every problem as `key: message`. */
export function validateConfig(raw: unknown, where = CONFIG_FILE): SyncConfig {
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    return `  ${key}: ${configIssueMessage(issue)}`;
  });
  throw new ConfigError(`${where} is not valid:\n${lines.join('\n')}`);
}

/** Reads and validates the config file; a missing file gives the defaults (source "surveys"). */
export async function loadConfig(
  file: string | undefined
): Promise<{ config: SyncConfig; file: string | null }> {
  const path = file ?? CONFIG_FILE;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && file === undefined) return { config: validateConfig({}), file: null };
    if (code === 'ENOENT')
      throw new ConfigError(`${path} does not exist: check --config, or run \`csm-nps init\` to write one`);
    throw new ConfigError(`${path} cannot be read: ${code ?? String(error)}`);
  }
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0] as ParseError;
    const before = text.slice(0, first.offset);
    const line = before.split('\n').length;
    const column = first.offset - before.lastIndexOf('\n');
    throw new ConfigError(
      `${path}:${line}:${column}: not valid JSON (${printParseErrorCode(first.error)}); comments and trailing commas are allowed`
    );
  }
  return { config: validateConfig(raw ?? {}, path), file: path };
}

/** The commented starting configuration `csm-nps init` writes. */
export function configTemplate(source: 'surveys' | 'object' | 'csv'): string {
  return `// csm-nps sync configuration (JSON with comments). Reference: docs/SYNC.md § Configuration.
// Credentials never go here: use --target-org, SF_INSTANCE_URL + SF_ACCESS_TOKEN, or the JWT variables.
{
  // Where the answers come from: "surveys" (Salesforce Surveys), "object" (any object, e.g. where
  // Qualtrics, Delighted, Medallia or Gainsight land their answers) or "csv" (a file in the csm-nps CSV format).
  "source": "${source}",

  // Salesforce Surveys: NPS questions (QuestionType "NPS") of these surveys.
  "surveys": {
    // Survey DeveloperNames to read; empty reads every survey.
    "surveys": [],
    // Question DeveloperName -> metric ("Company NPS" or "CSM NPS"). Other NPS questions use defaultMetric.
    "questions": {
      // "how_likely_recommend_csm": "CSM NPS"
    },
    // true: read only the questions listed above.
    "onlyListedQuestions": false,
    "defaultMetric": "Company NPS",
    // The comment of an NPS answer is the free-text answer of the same survey response. These question
    // DeveloperNames only (e.g. ["reason_for_score"]); empty: every free-text question.
    "commentQuestions": []
  },
${
  source === 'object'
    ? `
  // Any object holding one answer per record. Field names are checked against the object's describe.
  "object": {
    "name": "Survey_Answer__c",
    "fields": {
      "id": "Id",                       // unique per answer (becomes NPS_Response__c.Source_Id__c)
      "score": "Score__c",              // 0-10
      "respondedAt": "Responded_At__c", // DateTime (or Date) of the answer
      "account": "Account__c",          // optional: lookup to Account
      "contact": "Contact__c",          // optional: lookup to Contact (its Account is used when account is empty)
      "comment": "Comment__c",          // optional
      "metric": "Metric__c"             // optional: "Company NPS" or "CSM NPS" per record
    },
    "defaultMetric": "Company NPS"
  },
`
    : source === 'csv'
      ? `
  // A CSV in the csm-nps format (responded_at, score, csm, response_id, account, comment, metric).
  // response_id is required by the sync: it is how a row is recognised on the next run.
  "csv": { "file": "answers.csv" },
`
      : ''
}
  // Account field that names the CSM; default: NPS_Setting__mdt.Default CSM_Field__c ("Owner").
  // "csmField": "CSM__c",

  // Owners that mean "no CSM": their accounts' answers go to Unassigned. The user running the sync
  // (e.g. an integration user that holds unassigned accounts) is always one of them.
  "unassignedOwners": [],

  // Salesforce CLI alias or username to use when --target-org is not given.
  // "targetOrg": "prod",

  // API version (default ${'64.0'}).
  // "apiVersion": "64.0",

  // Above this many records a step uses Bulk API 2.0 instead of REST pages and sObject Collections.
  "bulkThreshold": 2000,

  // Retries of a 503, timeout or dropped connection (with exponential backoff), and the timeout of one call.
  "maxRetries": 5,
  "timeoutSeconds": 120
}
`;
}
