// The object model of the local org: field and object definitions in Salesforce's describe terms,
// and the standard objects the product reads (field names from the Object Reference for the
// Salesforce Platform). Custom objects and fields come from force-app metadata (see metadata.ts).

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'reference'
  | 'boolean'
  | 'double'
  | 'int'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'picklist'
  | 'multipicklist'
  | 'email'
  | 'phone'
  | 'url'
  | 'anyType';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FormulaDef {
  /** The formula as written in the metadata. */
  expression: string;
  /** The SQL expression computing it, with `{{t}}` standing for the row's table alias; null when unsupported. */
  sql: string | null;
  /** Why `sql` is null. */
  unsupportedReason?: string;
  treatBlanksAsZero: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** SQLite column; null for formula fields (computed on read). */
  column: string | null;
  length: number;
  precision: number;
  scale: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  unique: boolean;
  caseSensitive: boolean;
  externalId: boolean;
  idLookup: boolean;
  custom: boolean;
  defaultedOnCreate: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  /** Name of the child relationship on the parent (`Contacts`, `NPS_Responses__r`), for describe. */
  childRelationshipName: string | null;
  /** Deleting the parent deletes this record (master-detail and some standard children). */
  cascadeDelete: boolean;
  /** What happens to this lookup when its parent is deleted: 'SetNull' (custom lookup default), 'Restrict' or 'None'. */
  deleteConstraint: 'SetNull' | 'Restrict' | 'None';
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  defaultValue: string | number | boolean | null;
  formula: FormulaDef | null;
  /** Changes are written to <Object>History (Account only). */
  trackHistory: boolean;
  inlineHelpText: string | null;
}

export type ObjectKind = 'standard' | 'custom' | 'customMetadata' | 'customSetting' | 'history';

export interface SObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  kind: ObjectKind;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  /** SQLite table name. */
  table: string;
  fields: FieldDef[];
  /** Lower-cased field name → field. */
  fieldIndex: Map<string, FieldDef>;
  /** Lower-cased relationship name → reference field. */
  relationshipIndex: Map<string, FieldDef>;
  /** Children pointing at this object, for describe's childRelationships. */
  childRelationships: {
    childSObject: string;
    field: string;
    relationshipName: string | null;
    cascadeDelete: boolean;
  }[];
  /** The field that names a record (`Name` for most objects). */
  nameField: string | null;
  /** AutoNumber display format for the Name field, e.g. `NPS-{000000}`. */
  autoNumberFormat: string | null;
}

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'type'>>;

const SORTABLE_BY_TYPE: Record<FieldType, { filterable: boolean; sortable: boolean; groupable: boolean }> = {
  id: { filterable: true, sortable: true, groupable: true },
  string: { filterable: true, sortable: true, groupable: true },
  textarea: { filterable: false, sortable: false, groupable: false },
  reference: { filterable: true, sortable: true, groupable: true },
  boolean: { filterable: true, sortable: true, groupable: true },
  // Number, Currency and Percent fields cannot be grouped (SOQL "Considerations for GROUP BY").
  double: { filterable: true, sortable: true, groupable: false },
  int: { filterable: true, sortable: true, groupable: true },
  currency: { filterable: true, sortable: true, groupable: false },
  percent: { filterable: true, sortable: true, groupable: false },
  date: { filterable: true, sortable: true, groupable: true },
  // DateTime fields are not groupable; group by a date function (DAY_ONLY, CALENDAR_MONTH…) instead.
  datetime: { filterable: true, sortable: true, groupable: false },
  picklist: { filterable: true, sortable: true, groupable: true },
  multipicklist: { filterable: true, sortable: false, groupable: false },
  email: { filterable: true, sortable: true, groupable: true },
  phone: { filterable: true, sortable: true, groupable: true },
  url: { filterable: true, sortable: true, groupable: true },
  anyType: { filterable: false, sortable: false, groupable: false }
};

const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {
  id: 18,
  reference: 18,
  string: 255,
  textarea: 32000,
  picklist: 255,
  multipicklist: 4099,
  email: 80,
  phone: 40,
  url: 255,
  anyType: 255
};

export function makeField(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const caps = SORTABLE_BY_TYPE[type];
  const isFormula = options.formula != null;
  return {
    name,
    label: options.label ?? labelFromName(name),
    type,
    column: isFormula ? null : name,
    length: options.length ?? DEFAULT_LENGTH[type] ?? 0,
    precision:
      options.precision ??
      (type === 'double' || type === 'currency' || type === 'percent' ? 18 : type === 'int' ? 9 : 0),
    scale: options.scale ?? 0,
    nillable: options.nillable ?? true,
    createable: options.createable ?? !isFormula,
    updateable: options.updateable ?? !isFormula,
    filterable: options.filterable ?? caps.filterable,
    sortable: options.sortable ?? caps.sortable,
    groupable: options.groupable ?? caps.groupable,
    unique: options.unique ?? false,
    caseSensitive: options.caseSensitive ?? false,
    externalId: options.externalId ?? false,
    idLookup: options.idLookup ?? (type === 'id' || Boolean(options.externalId)),
    custom: options.custom ?? name.endsWith('__c'),
    defaultedOnCreate: options.defaultedOnCreate ?? false,
    referenceTo: options.referenceTo ?? [],
    relationshipName: options.relationshipName ?? null,
    childRelationshipName: options.childRelationshipName ?? null,
    cascadeDelete: options.cascadeDelete ?? false,
    deleteConstraint: options.deleteConstraint ?? 'None',
    picklistValues: options.picklistValues ?? [],
    restrictedPicklist: options.restrictedPicklist ?? false,
    defaultValue: options.defaultValue ?? null,
    formula: options.formula ?? null,
    trackHistory: options.trackHistory ?? false,
    inlineHelpText: options.inlineHelpText ?? null
  };
}

export function labelFromName(name: string): string {
  const base = name.replace(/__c$|__r$|__mdt$/, '').replace(/Id$/, ' ID');
  return base
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

export function picklist(values: string[], defaultValue?: string): PicklistValue[] {
  return values.map((value) => ({ value, label: value, active: true, defaultValue: value === defaultValue }));
}

export interface ObjectOptions {
  label?: string;
  labelPlural?: string;
  kind?: ObjectKind;
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
  ownable?: boolean;
  /** Created/LastModified audit fields (false for history objects, which only have Created*). */
  lastModified?: boolean;
  nameField?: string | null;
  autoNumberFormat?: string | null;
}

/** Builds an object with the system fields every Salesforce object has, then `fields`. */
export function makeObject(
  name: string,
  keyPrefix: string,
  fields: FieldDef[],
  options: ObjectOptions = {}
): SObjectDef {
  const kind = options.kind ?? 'standard';
  const readOnlySystem = { createable: false, updateable: false, nillable: false, defaultedOnCreate: true };
  const system: FieldDef[] = [
    makeField('Id', 'id', { label: `${options.label ?? labelFromName(name)} ID`, ...readOnlySystem }),
    makeField('IsDeleted', 'boolean', { label: 'Deleted', ...readOnlySystem }),
    makeField('CreatedDate', 'datetime', { ...readOnlySystem }),
    makeField('CreatedById', 'reference', {
      ...readOnlySystem,
      referenceTo: ['User'],
      relationshipName: 'CreatedBy',
      label: 'Created By ID'
    })
  ];
  if (options.lastModified !== false) {
    system.push(
      makeField('LastModifiedDate', 'datetime', { ...readOnlySystem }),
      makeField('LastModifiedById', 'reference', {
        ...readOnlySystem,
        referenceTo: ['User'],
        relationshipName: 'LastModifiedBy',
        label: 'Last Modified By ID'
      }),
      makeField('SystemModstamp', 'datetime', { ...readOnlySystem })
    );
  }
  if (options.ownable) {
    system.push(
      makeField('OwnerId', 'reference', {
        referenceTo: ['User'],
        relationshipName: 'Owner',
        nillable: false,
        defaultedOnCreate: true,
        label: 'Owner ID'
      })
    );
  }
  const all = [...system, ...fields];
  const object: SObjectDef = {
    name,
    label: options.label ?? labelFromName(name),
    labelPlural: options.labelPlural ?? `${options.label ?? labelFromName(name)}s`,
    keyPrefix,
    kind,
    custom: kind !== 'standard' && kind !== 'history',
    createable: options.createable ?? true,
    updateable: options.updateable ?? true,
    deletable: options.deletable ?? true,
    queryable: true,
    table: `sobj_${name}`,
    fields: [],
    fieldIndex: new Map(),
    relationshipIndex: new Map(),
    childRelationships: [],
    nameField:
      options.nameField === undefined
        ? all.some((f) => f.name === 'Name')
          ? 'Name'
          : null
        : options.nameField,
    autoNumberFormat: options.autoNumberFormat ?? null
  };
  for (const field of all) addField(object, field);
  return object;
}

export function addField(object: SObjectDef, field: FieldDef): void {
  const key = field.name.toLowerCase();
  const existing = object.fieldIndex.get(key);
  if (existing) {
    object.fields[object.fields.indexOf(existing)] = field;
  } else {
    object.fields.push(field);
  }
  object.fieldIndex.set(key, field);
  if (field.relationshipName) object.relationshipIndex.set(field.relationshipName.toLowerCase(), field);
}

// --- standard objects ------------------------------------------------------------------------

const readOnly = { createable: false, updateable: false };

function organization(): SObjectDef {
  return makeObject(
    'Organization',
    '00D',
    [
      makeField('Name', 'string', { length: 80, ...readOnly }),
      makeField('TimeZoneSidKey', 'picklist', { label: 'Default Time Zone', ...readOnly }),
      makeField('FiscalYearStartMonth', 'int', { label: 'Fiscal Year Starts In', ...readOnly }),
      makeField('UsesStartDateAsFiscalYearName', 'boolean', {
        label: 'Fiscal Year Name by Start',
        ...readOnly
      }),
      makeField('DefaultLocaleSidKey', 'picklist', { label: 'Default Locale', ...readOnly }),
      makeField('LanguageLocaleKey', 'picklist', { label: 'Default Language', ...readOnly }),
      makeField('OrganizationType', 'picklist', { label: 'Edition', ...readOnly }),
      makeField('IsSandbox', 'boolean', { ...readOnly }),
      makeField('InstanceName', 'string', { length: 5, ...readOnly }),
      makeField('NamespacePrefix', 'string', { length: 15, ...readOnly })
    ],
    { createable: false, updateable: false, deletable: false, labelPlural: 'Organizations' }
  );
}

function profile(): SObjectDef {
  return makeObject(
    'Profile',
    '00e',
    [
      makeField('Name', 'string', { nillable: false }),
      makeField('UserType', 'picklist', {
        picklistValues: picklist(['Standard', 'PowerPartner', 'CsnOnly', 'Guest'])
      }),
      makeField('Description', 'string')
    ],
    { createable: false, updateable: false, deletable: false }
  );
}

function userRole(): SObjectDef {
  return makeObject(
    'UserRole',
    '00E',
    [
      makeField('Name', 'string', { length: 80, nillable: false }),
      makeField('DeveloperName', 'string', { length: 80 }),
      makeField('ParentRoleId', 'reference', { referenceTo: ['UserRole'], label: 'Parent Role ID' }),
      makeField('RollupDescription', 'string', { length: 80 })
    ],
    { label: 'Role', labelPlural: 'Roles' }
  );
}

function user(): SObjectDef {
  return makeObject(
    'User',
    '005',
    [
      makeField('Username', 'string', { length: 80, nillable: false, unique: true, idLookup: true }),
      makeField('LastName', 'string', { length: 80, nillable: false }),
      makeField('FirstName', 'string', { length: 40 }),
      makeField('Name', 'string', { length: 121, label: 'Full Name', ...readOnly }),
      makeField('Email', 'email', { length: 128, nillable: false }),
      makeField('Alias', 'string', { length: 8, nillable: false }),
      makeField('CommunityNickname', 'string', { length: 40 }),
      makeField('IsActive', 'boolean', {
        label: 'Active',
        defaultValue: true,
        defaultedOnCreate: true,
        nillable: false
      }),
      makeField('ManagerId', 'reference', {
        referenceTo: ['User'],
        relationshipName: 'Manager',
        label: 'Manager ID'
      }),
      makeField('UserRoleId', 'reference', {
        referenceTo: ['UserRole'],
        relationshipName: 'UserRole',
        label: 'Role ID'
      }),
      makeField('ProfileId', 'reference', {
        referenceTo: ['Profile'],
        relationshipName: 'Profile',
        nillable: false,
        label: 'Profile ID'
      }),
      makeField('Title', 'string', { length: 80 }),
      makeField('Department', 'string', { length: 80 }),
      makeField('Division', 'string', { length: 80 }),
      makeField('EmployeeNumber', 'string', { length: 20 }),
      makeField('TimeZoneSidKey', 'picklist', { label: 'Time Zone', nillable: false }),
      makeField('LocaleSidKey', 'picklist', { label: 'Locale', nillable: false }),
      makeField('LanguageLocaleKey', 'picklist', { label: 'Language', nillable: false }),
      makeField('EmailEncodingKey', 'picklist', { label: 'Email Encoding', nillable: false }),
      makeField('UserType', 'picklist', {
        ...readOnly,
        picklistValues: picklist(['Standard', 'PowerPartner', 'CsnOnly', 'Guest'])
      })
    ],
    { deletable: false }
  );
}

function account(): SObjectDef {
  return makeObject(
    'Account',
    '001',
    [
      makeField('Name', 'string', { nillable: false, label: 'Account Name' }),
      makeField('AccountNumber', 'string', { length: 40 }),
      makeField('Type', 'picklist', {
        label: 'Account Type',
        picklistValues: picklist([
          'Prospect',
          'Customer - Direct',
          'Customer - Channel',
          'Channel Partner / Reseller',
          'Installation Partner',
          'Technology Partner',
          'Other'
        ])
      }),
      makeField('Industry', 'picklist', {
        picklistValues: picklist([
          'Agriculture',
          'Banking',
          'Biotechnology',
          'Chemicals',
          'Communications',
          'Construction',
          'Consulting',
          'Education',
          'Electronics',
          'Energy',
          'Engineering',
          'Entertainment',
          'Environmental',
          'Finance',
          'Food & Beverage',
          'Government',
          'Healthcare',
          'Hospitality',
          'Insurance',
          'Machinery',
          'Manufacturing',
          'Media',
          'Not For Profit',
          'Recreation',
          'Retail',
          'Shipping',
          'Technology',
          'Telecommunications',
          'Transportation',
          'Utilities',
          'Other'
        ])
      }),
      makeField('Rating', 'picklist', { picklistValues: picklist(['Hot', 'Warm', 'Cold']) }),
      makeField('AccountSource', 'picklist', {
        picklistValues: picklist(['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'])
      }),
      makeField('AnnualRevenue', 'currency', { precision: 18, scale: 0 }),
      makeField('NumberOfEmployees', 'int', { label: 'Employees', precision: 8 }),
      makeField('Phone', 'phone'),
      makeField('Website', 'url'),
      makeField('BillingCity', 'string', { length: 40 }),
      makeField('BillingState', 'string', { length: 80 }),
      makeField('BillingCountry', 'string', { length: 80 }),
      makeField('Description', 'textarea', { length: 32000 }),
      makeField('ParentId', 'reference', {
        referenceTo: ['Account'],
        relationshipName: 'Parent',
        label: 'Parent Account ID'
      })
    ],
    { ownable: true }
  );
}

function contact(): SObjectDef {
  return makeObject(
    'Contact',
    '003',
    [
      makeField('AccountId', 'reference', {
        referenceTo: ['Account'],
        relationshipName: 'Account',
        childRelationshipName: 'Contacts',
        cascadeDelete: true,
        label: 'Account ID'
      }),
      makeField('Salutation', 'picklist', {
        picklistValues: picklist(['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'])
      }),
      makeField('FirstName', 'string', { length: 40 }),
      makeField('LastName', 'string', { length: 80, nillable: false }),
      makeField('Name', 'string', { length: 121, label: 'Full Name', ...readOnly }),
      makeField('Email', 'email'),
      makeField('Phone', 'phone'),
      makeField('Title', 'string', { length: 128 }),
      makeField('Department', 'string', { length: 80 }),
      makeField('MailingCountry', 'string', { length: 80 })
    ],
    { ownable: true }
  );
}

function accountHistory(): SObjectDef {
  return makeObject(
    'AccountHistory',
    '017',
    [
      makeField('AccountId', 'reference', {
        referenceTo: ['Account'],
        relationshipName: 'Account',
        childRelationshipName: 'Histories',
        cascadeDelete: true,
        ...readOnly,
        nillable: false,
        label: 'Account ID'
      }),
      makeField('Field', 'picklist', { label: 'Changed Field', ...readOnly, nillable: false }),
      makeField('DataType', 'picklist', {
        label: 'Data Type',
        ...readOnly,
        picklistValues: picklist([
          'Boolean',
          'Currency',
          'Date',
          'DateTime',
          'Double',
          'EntityId',
          'Percent',
          'Text'
        ])
      }),
      makeField('OldValue', 'anyType', { ...readOnly }),
      makeField('NewValue', 'anyType', { ...readOnly })
    ],
    {
      kind: 'history',
      createable: false,
      updateable: false,
      deletable: false,
      lastModified: false,
      label: 'Account History',
      labelPlural: 'Account History',
      nameField: null
    }
  );
}

const QUESTION_TYPES = [
  'Boolean',
  'CSAT',
  'Currency',
  'Date',
  'DateTime',
  'FreeText',
  'Image',
  'Matrix',
  'MultipleChoice',
  'MultiSelectPicklist',
  'NPS',
  'Number',
  'Picklist',
  'RadioButton',
  'StackRank',
  'Rating',
  'ShortText',
  'Slider',
  'Toggle'
];

/** Salesforce Surveys: read-only through the API except invitations and subjects, as in a real org. */
function surveyObjects(): SObjectDef[] {
  const survey = makeObject(
    'Survey',
    '0Kd',
    [
      makeField('Name', 'string', { ...readOnly, nillable: false }),
      makeField('DeveloperName', 'string', { length: 80, ...readOnly, nillable: false }),
      makeField('ActiveVersionId', 'reference', {
        referenceTo: ['SurveyVersion'],
        relationshipName: 'ActiveVersion',
        ...readOnly
      }),
      makeField('LatestVersionId', 'reference', {
        referenceTo: ['SurveyVersion'],
        relationshipName: 'LatestVersion',
        ...readOnly
      }),
      makeField('TotalVersionsCount', 'int', { ...readOnly }),
      makeField('SurveyType', 'string', { ...readOnly }),
      makeField('Description', 'string', { length: 1000, ...readOnly })
    ],
    { ownable: true, createable: false, updateable: false, deletable: false }
  );
  const version = makeObject(
    'SurveyVersion',
    '0Kv',
    [
      makeField('Name', 'string', { ...readOnly, nillable: false }),
      makeField('SurveyId', 'reference', {
        referenceTo: ['Survey'],
        relationshipName: 'Survey',
        ...readOnly,
        nillable: false,
        cascadeDelete: true
      }),
      makeField('VersionNumber', 'int', { ...readOnly }),
      makeField('SurveyStatus', 'picklist', {
        ...readOnly,
        restrictedPicklist: true,
        picklistValues: picklist(['Active', 'Draft', 'Obsolete', 'InvalidDraft'])
      }),
      makeField('Description', 'textarea', { length: 65535, ...readOnly }),
      makeField('IsTemplate', 'boolean', { ...readOnly })
    ],
    { createable: false, updateable: false, deletable: false }
  );
  const question = makeObject(
    'SurveyQuestion',
    '0Ku',
    [
      makeField('Name', 'string', { ...readOnly, nillable: false, idLookup: true }),
      makeField('DeveloperName', 'string', { length: 80, ...readOnly, nillable: false }),
      makeField('QuestionName', 'textarea', { length: 4000, ...readOnly }),
      makeField('QuestionType', 'picklist', {
        ...readOnly,
        restrictedPicklist: true,
        nillable: false,
        picklistValues: picklist(QUESTION_TYPES)
      }),
      makeField('QuestionOrder', 'int', { label: 'Display Order', ...readOnly }),
      makeField('SurveyVersionId', 'reference', {
        referenceTo: ['SurveyVersion'],
        relationshipName: 'SurveyVersion',
        ...readOnly,
        nillable: false,
        cascadeDelete: true
      }),
      makeField('IsDeprecated', 'boolean', { ...readOnly })
    ],
    { createable: false, updateable: false, deletable: false }
  );
  const invitation = makeObject(
    'SurveyInvitation',
    '0Ki',
    [
      makeField('Name', 'string', { nillable: false }),
      makeField('SurveyId', 'reference', {
        referenceTo: ['Survey'],
        relationshipName: 'Survey',
        nillable: false,
        updateable: false
      }),
      makeField('ParticipantId', 'reference', {
        referenceTo: ['Contact', 'User'],
        relationshipName: 'Participant',
        updateable: false
      }),
      makeField('ContactId', 'reference', {
        referenceTo: ['Contact'],
        relationshipName: 'Contact',
        ...readOnly
      }),
      makeField('InvitationLink', 'url', { ...readOnly, filterable: false, sortable: false }),
      // Values as seen in orgs; the picklist is left unrestricted because the reference does not list them.
      makeField('ResponseStatus', 'picklist', {
        ...readOnly,
        picklistValues: picklist(['Completed', 'Started', 'NotStarted'])
      }),
      makeField('InviteExpiryDateTime', 'datetime'),
      makeField('IsDefault', 'boolean', { defaultValue: false, defaultedOnCreate: true, nillable: false }),
      makeField('OptionsAllowGuestUserResponse', 'boolean', {
        defaultValue: false,
        defaultedOnCreate: true,
        nillable: false
      }),
      makeField('OptionsAllowParticipantAccessTheirResponse', 'boolean', {
        defaultValue: false,
        defaultedOnCreate: true,
        nillable: false
      }),
      makeField('OptionsCollectAnonymousResponse', 'boolean', {
        defaultValue: false,
        defaultedOnCreate: true,
        nillable: false
      })
    ],
    { ownable: true }
  );
  const response = makeObject(
    'SurveyResponse',
    '0Kr',
    [
      makeField('Name', 'string', { ...readOnly, nillable: false }),
      makeField('SurveyId', 'reference', {
        referenceTo: ['Survey'],
        relationshipName: 'Survey',
        ...readOnly,
        nillable: false
      }),
      makeField('SurveyVersionId', 'reference', {
        referenceTo: ['SurveyVersion'],
        relationshipName: 'SurveyVersion',
        ...readOnly,
        nillable: false
      }),
      makeField('InvitationId', 'reference', {
        referenceTo: ['SurveyInvitation'],
        relationshipName: 'Invitation',
        ...readOnly
      }),
      makeField('SubmitterId', 'reference', {
        referenceTo: ['Contact', 'User'],
        relationshipName: 'Submitter',
        ...readOnly
      }),
      makeField('Status', 'picklist', { ...readOnly, picklistValues: picklist(['Completed', 'Started']) }),
      makeField('CompletionDateTime', 'datetime', { ...readOnly }),
      makeField('Language', 'picklist', {
        ...readOnly,
        picklistValues: picklist(['en_US', 'de', 'fr', 'es', 'ja'])
      }),
      makeField('IpAddress', 'string', { length: 39, ...readOnly })
    ],
    { ownable: true, createable: false, updateable: false, deletable: true }
  );
  const questionResponse = makeObject(
    'SurveyQuestionResponse',
    '0Kq',
    [
      makeField('ResponseId', 'reference', {
        referenceTo: ['SurveyResponse'],
        relationshipName: 'Response',
        childRelationshipName: 'SurveyQuestionResponses',
        ...readOnly,
        nillable: false,
        cascadeDelete: true
      }),
      makeField('InvitationId', 'reference', {
        referenceTo: ['SurveyInvitation'],
        relationshipName: 'Invitation',
        ...readOnly
      }),
      makeField('QuestionId', 'reference', {
        referenceTo: ['SurveyQuestion'],
        relationshipName: 'Question',
        ...readOnly,
        nillable: false
      }),
      makeField('SurveyVersionId', 'reference', {
        referenceTo: ['SurveyVersion'],
        relationshipName: 'SurveyVersion',
        ...readOnly,
        nillable: false
      }),
      makeField('Datatype', 'picklist', {
        ...readOnly,
        restrictedPicklist: true,
        picklistValues: picklist(['Boolean', 'Date', 'Double', 'Int', 'Number', 'String'])
      }),
      makeField('NumberValue', 'int', { ...readOnly }),
      makeField('ResponseValue', 'textarea', { length: 32000, ...readOnly }),
      makeField('ResponseShortText', 'string', { ...readOnly, idLookup: true }),
      makeField('ChoiceValue', 'textarea', { length: 32000, ...readOnly, filterable: true, sortable: true }),
      makeField('DateValue', 'date', { ...readOnly }),
      makeField('DateTimeValue', 'datetime', { ...readOnly }),
      makeField('IsTrueOrFalse', 'boolean', {
        ...readOnly,
        defaultValue: false,
        defaultedOnCreate: true,
        nillable: false
      })
    ],
    { createable: false, updateable: false, deletable: false, nameField: null }
  );
  const subject = makeObject(
    'SurveySubject',
    '0Ks',
    [
      makeField('Name', 'string', { nillable: false, idLookup: true }),
      makeField('ParentId', 'reference', {
        referenceTo: ['SurveyInvitation', 'SurveyResponse'],
        relationshipName: 'Parent',
        nillable: false,
        updateable: false,
        cascadeDelete: true
      }),
      makeField('SubjectId', 'reference', {
        referenceTo: ['Account', 'Contact', 'User'],
        relationshipName: 'Subject',
        nillable: false,
        updateable: false
      }),
      makeField('SubjectEntityType', 'picklist', {
        ...readOnly,
        restrictedPicklist: true,
        picklistValues: picklist(['Account', 'Contact', 'User'])
      }),
      makeField('SurveyId', 'reference', {
        referenceTo: ['Survey'],
        relationshipName: 'Survey',
        ...readOnly
      }),
      makeField('SurveyInvitationId', 'reference', {
        referenceTo: ['SurveyInvitation'],
        relationshipName: 'SurveyInvitation',
        ...readOnly
      }),
      makeField('SurveyResponseId', 'reference', {
        referenceTo: ['SurveyResponse'],
        relationshipName: 'SurveyResponse',
        ...readOnly
      })
    ],
    {}
  );
  return [survey, version, question, invitation, response, questionResponse, subject];
}

export function standardObjects(): SObjectDef[] {
  const objects = [
    organization(),
    profile(),
    userRole(),
    user(),
    account(),
    contact(),
    accountHistory(),
    ...surveyObjects()
  ];
  // Owner changes are tracked on Account, as the product's attribution relies on AccountHistory.
  const owner = objects.find((o) => o.name === 'Account')?.fieldIndex.get('ownerid');
  if (owner) owner.trackHistory = true;
  return objects;
}

/** Names of fields whose value the server derives (never taken from a request). */
export const DERIVED_NAME_OBJECTS = new Set(['User', 'Contact']);
