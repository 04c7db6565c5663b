// Describe results in the shape of the REST API's sObject Describe and Describe Global resources
// (the properties jsforce and the sync read: names, types, lengths, nillable, createable,
// updateable, unique, externalId, referenceTo, relationshipName, picklist values, formulas).

import type { FieldDef, SObjectDef } from './schema';

const SOAP_TYPES: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  anyType: 'xsd:anyType'
};

function urls(object: SObjectDef, apiVersion: string): Record<string, string> {
  const base = `/services/data/v${apiVersion}/sobjects/${object.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

export function describeField(field: FieldDef, object: SObjectDef): Record<string, unknown> {
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    soapType: SOAP_TYPES[field.type],
    length: [
      'string',
      'textarea',
      'picklist',
      'multipicklist',
      'email',
      'phone',
      'url',
      'id',
      'reference'
    ].includes(field.type)
      ? field.length
      : 0,
    byteLength: [
      'string',
      'textarea',
      'picklist',
      'multipicklist',
      'email',
      'phone',
      'url',
      'id',
      'reference'
    ].includes(field.type)
      ? field.length * 3
      : 0,
    precision: ['double', 'currency', 'percent'].includes(field.type) ? field.precision : 0,
    scale: ['double', 'currency', 'percent'].includes(field.type) ? field.scale : 0,
    digits: field.type === 'int' ? field.precision : 0,
    nillable: field.nillable,
    createable: field.createable,
    updateable: field.updateable,
    filterable: field.filterable,
    sortable: field.sortable,
    groupable: field.groupable,
    aggregatable: field.type !== 'textarea' && field.type !== 'anyType' && field.type !== 'multipicklist',
    unique: field.unique,
    caseSensitive: field.caseSensitive,
    externalId: field.externalId,
    idLookup: field.idLookup,
    nameField: field.name === 'Name',
    custom: field.custom,
    calculated: field.formula !== null,
    calculatedFormula: field.formula ? field.formula.expression : null,
    autoNumber: field.name === 'Name' && object.autoNumberFormat !== null,
    defaultedOnCreate: field.defaultedOnCreate,
    defaultValue: field.type === 'picklist' ? null : field.defaultValue,
    defaultValueFormula: null,
    inlineHelpText: field.inlineHelpText,
    referenceTo: field.referenceTo,
    relationshipName: field.relationshipName,
    relationshipOrder: null,
    cascadeDelete: field.cascadeDelete,
    restrictedDelete: field.deleteConstraint === 'Restrict',
    polymorphicForeignKey: field.referenceTo.length > 1,
    restrictedPicklist: field.restrictedPicklist,
    dependentPicklist: false,
    picklistValues: field.picklistValues.map((v) => ({
      value: v.value,
      label: v.label,
      active: v.active,
      defaultValue: v.defaultValue,
      validFor: null
    })),
    htmlFormatted: false,
    deprecatedAndHidden: false,
    permissionable: field.custom && field.nillable,
    writeRequiresMasterRead: false
  };
}

export function describeGlobalEntry(object: SObjectDef, apiVersion: string): Record<string, unknown> {
  return {
    name: object.name,
    label: object.label,
    labelPlural: object.labelPlural,
    keyPrefix: object.keyPrefix,
    custom: object.custom,
    customSetting: object.kind === 'customSetting',
    createable: object.createable,
    updateable: object.updateable,
    deletable: object.deletable,
    queryable: object.queryable,
    retrieveable: true,
    searchable: object.kind === 'standard' || object.kind === 'custom',
    undeletable: object.deletable,
    triggerable: object.kind !== 'history',
    layoutable: object.kind === 'standard' || object.kind === 'custom',
    replicateable: true,
    mergeable: false,
    feedEnabled: false,
    activateable: false,
    deprecatedAndHidden: false,
    isSubtype: false,
    urls: urls(object, apiVersion)
  };
}

export function describeObject(object: SObjectDef, apiVersion: string): Record<string, unknown> {
  return {
    ...describeGlobalEntry(object, apiVersion),
    fields: object.fields.map((f) => describeField(f, object)),
    childRelationships: object.childRelationships.map((c) => ({
      childSObject: c.childSObject,
      field: c.field,
      relationshipName: c.relationshipName,
      cascadeDelete: c.cascadeDelete,
      restrictedDelete: false,
      deprecatedAndHidden: false
    })),
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All', name: 'everything' }],
    networkScopeFieldName: null,
    namedLayoutInfos: [],
    actionOverrides: [],
    compactLayoutable: false,
    searchLayoutable: false,
    listviewable: null,
    lookupLayoutable: null,
    sobjectDescribeOption: 'FULL'
  };
}
