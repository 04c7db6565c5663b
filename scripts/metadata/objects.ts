// The object model of this project as deployed: every custom object, custom metadata type and custom
// setting under force-app, with its fields (custom ones from *.field-meta.xml, plus the standard
// fields the platform adds), validation rules, list views and custom metadata records.
//
// This is the one reader of object metadata for the Node side: the cross-check of API names used in
// code, the metadata tests, the local org and the sync all ask it, so that code and metadata cannot
// drift apart silently. API names are matched case-insensitively, as Salesforce does.
//
//   import { loadMetadata } from '../metadata/index.js';
//   const model = loadMetadata();                        // finds sfdx-project.json from the cwd
//   model.getField('NPS_Response__c', 'Score__c').precision  // 2
//   model.getObject('NPS_Snapshot__c').fields            // standard + custom fields

import path from 'node:path';
import { existsSync } from 'node:fs';
import { defaultSourceDir, listFiles } from './paths';
import { bool, list, MetadataFileError, num, readMetadataXml, text, texts, type XmlNode } from './xml';

/** CustomField <type> values this project understands (for formula fields, the result type). */
export type FieldType =
  | 'Id'
  | 'AutoNumber'
  | 'Checkbox'
  | 'Currency'
  | 'Date'
  | 'DateTime'
  | 'Email'
  | 'Html'
  | 'Lookup'
  | 'MasterDetail'
  | 'LongTextArea'
  | 'MultiselectPicklist'
  | 'Number'
  | 'Percent'
  | 'Phone'
  | 'Picklist'
  | 'Text'
  | 'TextArea'
  | 'Time'
  | 'Url';

/**
 * What a field's value looks like in the REST/GraphQL APIs and in our TypeScript: 'id' and 'date'
 * and 'datetime' are strings (an Id, YYYY-MM-DD, ISO 8601 with offset).
 */
export type ValueKind = 'string' | 'number' | 'boolean' | 'date' | 'datetime' | 'time' | 'id';

const VALUE_KIND: Record<FieldType, ValueKind> = {
  Id: 'id',
  AutoNumber: 'string',
  Checkbox: 'boolean',
  Currency: 'number',
  Date: 'date',
  DateTime: 'datetime',
  Email: 'string',
  Html: 'string',
  Lookup: 'id',
  MasterDetail: 'id',
  LongTextArea: 'string',
  MultiselectPicklist: 'string',
  Number: 'number',
  Percent: 'number',
  Phone: 'string',
  Picklist: 'string',
  Text: 'string',
  TextArea: 'string',
  Time: 'time',
  Url: 'string'
};

export interface PicklistValue {
  /** The API value, what the API reads and writes. */
  value: string;
  label: string;
  isDefault: boolean;
}

export interface FieldMetadata {
  /** API name of the object, e.g. "NPS_Response__c". */
  object: string;
  /** API name of the field, e.g. "Score__c" or "OwnerId". */
  apiName: string;
  label: string;
  /** Metadata type; for a formula field the type of its result (Text, Number, Checkbox...). */
  type: FieldType;
  /** How the value is represented in the APIs (see ValueKind). */
  valueKind: ValueKind;
  /** false for the standard fields the platform adds (Id, Name, OwnerId, CreatedDate...). */
  custom: boolean;
  /** Universally required (`<required>true`). This project requires values through validation rules instead, see validationRules. */
  required: boolean;
  unique: boolean;
  externalId: boolean;
  caseSensitive: boolean;
  /** For a lookup: the parent object's API name. */
  referenceTo: string | null;
  /** For a lookup: the name a query uses to reach the parent, e.g. "CSM__r" (SOQL CSM__r.Name). */
  relationshipName: string | null;
  /** For a lookup: the name the parent uses to reach these records, e.g. "NPS_Responses__r" (subquery on Account). */
  childRelationshipName: string | null;
  /** Active values of a picklist, in order; null for other types. */
  picklistValues: PicklistValue[] | null;
  /** The formula of a formula field; null otherwise. */
  formula: string | null;
  formulaTreatBlanksAs: 'BlankAsBlank' | 'BlankAsZero' | null;
  length: number | null;
  precision: number | null;
  scale: number | null;
  /** `<defaultValue>` as written (a formula: "false", "\"x\""); picklist defaults are in picklistValues. */
  defaultValue: string | null;
  description: string | null;
  /** Help text (`<inlineHelpText>`), shown to users as the (i) next to the field. */
  helpText: string | null;
  trackHistory: boolean;
  /** The source file; null for standard fields. */
  file: string | null;
}

export type ObjectKind = 'CustomObject' | 'CustomMetadataType' | 'CustomSetting';

export interface ValidationRuleMetadata {
  object: string;
  name: string;
  active: boolean;
  /** The error condition: the record is rejected when it evaluates to true. */
  formula: string;
  errorMessage: string;
  /** The field the error is shown on; null shows it at the top of the page. */
  errorField: string | null;
  description: string | null;
  file: string;
}

export interface ListViewMetadata {
  object: string;
  name: string;
  label: string;
  filterScope: string;
  columns: string[];
  filters: { field: string; operation: string; value: string }[];
  file: string;
}

export interface ObjectMetadata {
  apiName: string;
  kind: ObjectKind;
  label: string;
  pluralLabel: string;
  description: string | null;
  /** Org-wide default for internal users (Private, Read, ReadWrite...); null for custom metadata types. */
  sharingModel: string | null;
  /** Org-wide default for external users (portals, communities); null when the file does not say. */
  externalSharingModel: string | null;
  /** The Name field: AutoNumber (with its display format) or Text; null for custom metadata types. */
  nameField: { label: string; type: 'AutoNumber' | 'Text'; displayFormat: string | null } | null;
  /** Standard fields first, then custom fields by API name. */
  fields: FieldMetadata[];
  validationRules: ValidationRuleMetadata[];
  listViews: ListViewMetadata[];
  file: string;
}

export interface CustomMetadataRecord {
  /** The custom metadata type, e.g. "NPS_Setting__mdt". */
  type: string;
  developerName: string;
  label: string;
  protected: boolean;
  /** Values by field API name, typed by the field (numbers, booleans, text); null where the record says nil or nothing. */
  values: Record<string, string | number | boolean | null>;
  file: string;
}

/** A name that is not in the metadata; the message suggests the closest one. */
export class MetadataLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataLookupError';
  }
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1)
      );
    }
    previous = current;
  }
  return previous[y.length] as number;
}

/** " (did you mean X?)" for the closest candidate within a few edits, else "". */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  let best: string | null = null;
  let bestDistance = Math.max(3, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best ? ` (did you mean ${best}?)` : '';
}

/** The metadata of the project, with case-insensitive lookups that explain what is missing. */
export class MetadataModel {
  constructor(
    readonly sourceDir: string,
    readonly objects: readonly ObjectMetadata[],
    readonly customMetadataRecords: readonly CustomMetadataRecord[]
  ) {}

  findObject(apiName: string): ObjectMetadata | undefined {
    return this.objects.find((o) => same(o.apiName, apiName));
  }

  getObject(apiName: string): ObjectMetadata {
    const object = this.findObject(apiName);
    if (!object) {
      throw new MetadataLookupError(
        `No object ${apiName} in ${this.sourceDir}/objects${didYouMean(
          apiName,
          this.objects.map((o) => o.apiName)
        )}`
      );
    }
    return object;
  }

  findField(objectApiName: string, fieldApiName: string): FieldMetadata | undefined {
    return this.findObject(objectApiName)?.fields.find((f) => same(f.apiName, fieldApiName));
  }

  getField(objectApiName: string, fieldApiName: string): FieldMetadata {
    const object = this.getObject(objectApiName);
    const field = object.fields.find((f) => same(f.apiName, fieldApiName));
    if (!field) {
      throw new MetadataLookupError(
        `No field ${fieldApiName} on ${object.apiName}${didYouMean(
          fieldApiName,
          object.fields.map((f) => f.apiName)
        )}; its fields are in ${path.dirname(object.file)}/fields`
      );
    }
    return field;
  }

  /** Custom fields only (what a permission set must list), in API-name order. */
  customFields(objectApiName: string): FieldMetadata[] {
    return this.getObject(objectApiName).fields.filter((f) => f.custom);
  }

  /** Every field called `apiName`, on any object (a name such as CSM__c exists on several). */
  fieldsNamed(apiName: string): FieldMetadata[] {
    return this.objects.flatMap((o) => o.fields.filter((f) => same(f.apiName, apiName)));
  }

  /** The lookup on `objectApiName` that a query reaches through `relationshipName` (e.g. CSM__r). */
  findParentRelationship(objectApiName: string, relationshipName: string): FieldMetadata | undefined {
    return this.findObject(objectApiName)?.fields.find(
      (f) => f.relationshipName !== null && same(f.relationshipName, relationshipName)
    );
  }

  /** The lookups that give a parent the child relationship `relationshipName` (e.g. NPS_Responses__r on Account). */
  findChildRelationships(parentApiName: string | null, relationshipName: string): FieldMetadata[] {
    return this.objects.flatMap((o) =>
      o.fields.filter(
        (f) =>
          f.childRelationshipName !== null &&
          same(f.childRelationshipName, relationshipName) &&
          (parentApiName === null || same(f.referenceTo ?? '', parentApiName))
      )
    );
  }

  getCustomMetadataRecord(type: string, developerName: string): CustomMetadataRecord {
    const record = this.customMetadataRecords.find(
      (r) => same(r.type, type) && same(r.developerName, developerName)
    );
    if (!record) {
      const names = this.customMetadataRecords.filter((r) => same(r.type, type)).map((r) => r.developerName);
      throw new MetadataLookupError(
        `No ${type} record named ${developerName} in ${this.sourceDir}/customMetadata${didYouMean(developerName, names)}`
      );
    }
    return record;
  }
}

function standardField(
  object: string,
  apiName: string,
  label: string,
  type: FieldType,
  extra: Partial<FieldMetadata> = {}
): FieldMetadata {
  return {
    object,
    apiName,
    label,
    type,
    valueKind: VALUE_KIND[type],
    custom: false,
    required: false,
    unique: false,
    externalId: false,
    caseSensitive: false,
    referenceTo: null,
    relationshipName: null,
    childRelationshipName: null,
    picklistValues: null,
    formula: null,
    formulaTreatBlanksAs: null,
    length: null,
    precision: null,
    scale: null,
    defaultValue: null,
    description: null,
    helpText: null,
    trackHistory: false,
    file: null,
    ...extra
  };
}

/** The fields the platform adds to every object of the kind (Object Reference, "System Fields"). */
function standardFields(
  object: string,
  kind: ObjectKind,
  nameField: ObjectMetadata['nameField']
): FieldMetadata[] {
  const lookup = (apiName: string, label: string, referenceTo: string): FieldMetadata =>
    standardField(object, apiName, label, 'Lookup', {
      referenceTo,
      relationshipName: apiName.replace(/Id$/, '')
    });
  const audit = [
    standardField(object, 'CreatedDate', 'Created Date', 'DateTime'),
    lookup('CreatedById', 'Created By', 'User'),
    standardField(object, 'LastModifiedDate', 'Last Modified Date', 'DateTime'),
    lookup('LastModifiedById', 'Last Modified By', 'User'),
    standardField(object, 'SystemModstamp', 'System Modstamp', 'DateTime')
  ];
  const id = standardField(object, 'Id', 'Record ID', 'Id');
  if (kind === 'CustomMetadataType') {
    return [
      id,
      standardField(object, 'DeveloperName', 'Custom Metadata Record Name', 'Text', {
        length: 40,
        required: true
      }),
      standardField(object, 'MasterLabel', 'Label', 'Text', { length: 40, required: true }),
      standardField(object, 'Label', 'Label', 'Text', { length: 40 }),
      standardField(object, 'QualifiedApiName', 'Qualified API Name', 'Text', { length: 70 }),
      standardField(object, 'NamespacePrefix', 'Namespace Prefix', 'Text', { length: 15 }),
      standardField(object, 'Language', 'Language', 'Picklist'),
      standardField(object, 'IsProtected', 'Protected Component', 'Checkbox'),
      ...audit
    ];
  }
  const name = standardField(object, 'Name', nameField?.label ?? 'Name', nameField?.type ?? 'Text', {
    length: 80
  });
  const owner = kind === 'CustomObject' ? [lookup('OwnerId', 'Owner ID', 'User')] : [];
  const setupOwner = kind === 'CustomSetting' ? [lookup('SetupOwnerId', 'Location', 'User')] : [];
  return [
    id,
    name,
    ...owner,
    ...setupOwner,
    standardField(object, 'IsDeleted', 'Deleted', 'Checkbox'),
    ...audit,
    standardField(object, 'LastViewedDate', 'Last Viewed Date', 'DateTime'),
    standardField(object, 'LastReferencedDate', 'Last Referenced Date', 'DateTime')
  ];
}

function parsePicklist(
  node: XmlNode,
  file: string,
  globalValueSets: Map<string, PicklistValue[]>
): PicklistValue[] {
  const valueSet = list(node, 'valueSet')[0];
  const globalName = text(valueSet, 'valueSetName');
  if (globalName) {
    const values = globalValueSets.get(globalName.toLowerCase());
    if (!values)
      throw new MetadataFileError(
        file,
        `uses the global value set ${globalName}, which is not in globalValueSets/`
      );
    return values;
  }
  const definition = list(valueSet, 'valueSetDefinition')[0];
  return list(definition, 'value')
    .filter((v) => text(v, 'isActive') !== 'false')
    .map((v) => ({
      value: text(v, 'fullName') ?? '',
      label: text(v, 'label') ?? text(v, 'fullName') ?? '',
      isDefault: bool(v, 'default')
    }));
}

function parseField(
  object: string,
  file: string,
  globalValueSets: Map<string, PicklistValue[]>
): FieldMetadata {
  const node = readMetadataXml(file, 'CustomField');
  const apiName = text(node, 'fullName') ?? path.basename(file, '.field-meta.xml');
  if (!same(apiName, path.basename(file, '.field-meta.xml'))) {
    throw new MetadataFileError(
      file,
      `<fullName>${apiName}</fullName> does not match the file name; rename one of them`
    );
  }
  const rawType = text(node, 'type') ?? '';
  if (!(rawType in VALUE_KIND) || rawType === 'Id') {
    throw new MetadataFileError(
      file,
      `field type "${rawType}" is not known to scripts/metadata/objects.ts; add it to VALUE_KIND`
    );
  }
  const type = rawType as FieldType;
  const isLookup = type === 'Lookup' || type === 'MasterDetail';
  const childName = text(node, 'relationshipName');
  const formula = text(node, 'formula') ?? null;
  const blanks = text(node, 'formulaTreatBlanksAs');
  return {
    object,
    apiName,
    label: text(node, 'label') ?? apiName,
    type,
    valueKind: VALUE_KIND[type],
    custom: true,
    required: bool(node, 'required') || type === 'MasterDetail',
    unique: bool(node, 'unique'),
    externalId: bool(node, 'externalId'),
    caseSensitive: bool(node, 'caseSensitive'),
    referenceTo: isLookup ? (text(node, 'referenceTo') ?? null) : null,
    relationshipName: isLookup ? apiName.replace(/__c$/i, '__r') : null,
    childRelationshipName: isLookup && childName ? `${childName}__r` : null,
    picklistValues:
      type === 'Picklist' || type === 'MultiselectPicklist'
        ? parsePicklist(node, file, globalValueSets)
        : null,
    formula,
    formulaTreatBlanksAs:
      formula === null ? null : blanks === 'BlankAsBlank' ? 'BlankAsBlank' : 'BlankAsZero',
    length: num(node, 'length', file),
    precision: num(node, 'precision', file),
    scale: num(node, 'scale', file),
    defaultValue: text(node, 'defaultValue') ?? null,
    description: text(node, 'description') ?? null,
    helpText: text(node, 'inlineHelpText') ?? null,
    trackHistory: bool(node, 'trackHistory'),
    file
  };
}

function loadGlobalValueSets(sourceDir: string): Map<string, PicklistValue[]> {
  const sets = new Map<string, PicklistValue[]>();
  for (const file of listFiles(path.join(sourceDir, 'globalValueSets'), (f) =>
    f.endsWith('.globalValueSet-meta.xml')
  )) {
    const node = readMetadataXml(file, 'GlobalValueSet');
    const values = list(node, 'customValue')
      .filter((v) => text(v, 'isActive') !== 'false')
      .map((v) => ({
        value: text(v, 'fullName') ?? '',
        label: text(v, 'label') ?? text(v, 'fullName') ?? '',
        isDefault: bool(v, 'default')
      }));
    sets.set(path.basename(file, '.globalValueSet-meta.xml').toLowerCase(), values);
  }
  return sets;
}

function loadObject(dir: string, globalValueSets: Map<string, PicklistValue[]>): ObjectMetadata {
  const apiName = path.basename(dir);
  const file = path.join(dir, `${apiName}.object-meta.xml`);
  if (!existsSync(file))
    throw new MetadataFileError(dir, `has no ${apiName}.object-meta.xml; every object folder needs one`);
  const node = readMetadataXml(file, 'CustomObject');
  const kind: ObjectKind = apiName.endsWith('__mdt')
    ? 'CustomMetadataType'
    : text(node, 'customSettingsType')
      ? 'CustomSetting'
      : 'CustomObject';
  const nameNode = list(node, 'nameField')[0];
  const nameField =
    kind === 'CustomMetadataType' || !nameNode
      ? null
      : {
          label: text(nameNode, 'label') ?? 'Name',
          type: text(nameNode, 'type') === 'AutoNumber' ? ('AutoNumber' as const) : ('Text' as const),
          displayFormat: text(nameNode, 'displayFormat') ?? null
        };
  const custom = listFiles(path.join(dir, 'fields'), (f) => f.endsWith('.field-meta.xml'))
    .map((f) => parseField(apiName, f, globalValueSets))
    .sort((a, b) => a.apiName.localeCompare(b.apiName));
  const validationRules = listFiles(path.join(dir, 'validationRules'), (f) =>
    f.endsWith('.validationRule-meta.xml')
  ).map((f) => {
    const rule = readMetadataXml(f, 'ValidationRule');
    return {
      object: apiName,
      name: path.basename(f, '.validationRule-meta.xml'),
      active: bool(rule, 'active'),
      formula: text(rule, 'errorConditionFormula') ?? '',
      errorMessage: text(rule, 'errorMessage') ?? '',
      errorField: text(rule, 'errorDisplayField') ?? null,
      description: text(rule, 'description') ?? null,
      file: f
    };
  });
  const listViews = listFiles(path.join(dir, 'listViews'), (f) => f.endsWith('.listView-meta.xml')).map(
    (f) => {
      const view = readMetadataXml(f, 'ListView');
      return {
        object: apiName,
        name: path.basename(f, '.listView-meta.xml'),
        label: text(view, 'label') ?? '',
        filterScope: text(view, 'filterScope') ?? 'Everything',
        columns: texts(view, 'columns'),
        filters: list(view, 'filters').map((x) => ({
          field: text(x, 'field') ?? '',
          operation: text(x, 'operation') ?? '',
          value: text(x, 'value') ?? ''
        })),
        file: f
      };
    }
  );
  return {
    apiName,
    kind,
    label: text(node, 'label') ?? apiName,
    pluralLabel: text(node, 'pluralLabel') ?? apiName,
    description: text(node, 'description') ?? null,
    sharingModel: text(node, 'sharingModel') ?? null,
    externalSharingModel: text(node, 'externalSharingModel') ?? null,
    nameField,
    fields: [...standardFields(apiName, kind, nameField), ...custom],
    validationRules,
    listViews,
    file
  };
}

function typedValue(
  field: FieldMetadata | undefined,
  value: XmlNode,
  file: string
): string | number | boolean | null {
  if (value['@_xsi:nil'] === 'true') return null;
  const raw = text(value) ?? '';
  const xsdType = typeof value['@_xsi:type'] === 'string' ? value['@_xsi:type'] : '';
  const kind =
    field?.valueKind ??
    (xsdType.endsWith('double') || xsdType.endsWith('int')
      ? 'number'
      : xsdType.endsWith('boolean')
        ? 'boolean'
        : 'string');
  if (kind === 'number') {
    const n = Number(raw);
    if (raw === '' || !Number.isFinite(n))
      throw new MetadataFileError(file, `value "${raw}" of ${field?.apiName ?? 'a field'} is not a number`);
    return n;
  }
  if (kind === 'boolean') return raw === 'true';
  return raw;
}

function loadCustomMetadataRecords(sourceDir: string, objects: ObjectMetadata[]): CustomMetadataRecord[] {
  return listFiles(path.join(sourceDir, 'customMetadata'), (f) => f.endsWith('.md-meta.xml')).map((file) => {
    const [typeName, developerName] = path.basename(file, '.md-meta.xml').split('.');
    if (!typeName || !developerName)
      throw new MetadataFileError(file, 'must be named <Type>.<RecordName>.md-meta.xml');
    const type = `${typeName}__mdt`;
    const object = objects.find((o) => same(o.apiName, type));
    if (!object) throw new MetadataFileError(file, `is a record of ${type}, which is not in objects/`);
    const node = readMetadataXml(file, 'CustomMetadata');
    const values: Record<string, string | number | boolean | null> = {};
    for (const entry of list(node, 'values')) {
      const fieldName = text(entry, 'field') ?? '';
      const field = object.fields.find((f) => same(f.apiName, fieldName));
      if (!field)
        throw new MetadataFileError(
          file,
          `sets ${fieldName}, which is not a field of ${type}${didYouMean(
            fieldName,
            object.fields.map((f) => f.apiName)
          )}`
        );
      values[field.apiName] = typedValue(field, list(entry, 'value')[0] ?? { '@_xsi:nil': 'true' }, file);
    }
    return {
      type: object.apiName,
      developerName,
      label: text(node, 'label') ?? developerName,
      protected: bool(node, 'protected'),
      values,
      file
    };
  });
}

export interface LoadMetadataOptions {
  /** The folder with objects/, customMetadata/... Default: <default package>/main/default of the project around the cwd. */
  sourceDir?: string;
}

/** Reads every object, field, validation rule, list view and custom metadata record. Throws MetadataFileError naming the file on bad metadata. */
export function loadMetadata(options: LoadMetadataOptions = {}): MetadataModel {
  const sourceDir = path.resolve(options.sourceDir ?? defaultSourceDir());
  const globalValueSets = loadGlobalValueSets(sourceDir);
  const objectsDir = path.join(sourceDir, 'objects');
  const objectDirs = [
    ...new Set(
      listFiles(objectsDir, (f) => f.endsWith('-meta.xml')).map(
        (f) => path.relative(objectsDir, f).split(path.sep)[0] as string
      )
    )
  ];
  const objects = objectDirs
    .filter((name) => /__(c|mdt)$/i.test(name))
    .map((name) => loadObject(path.join(objectsDir, name), globalValueSets))
    .sort((a, b) => a.apiName.localeCompare(b.apiName));
  return new MetadataModel(sourceDir, objects, loadCustomMetadataRecords(sourceDir, objects));
}
