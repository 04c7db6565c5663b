// The local org's schema: the standard objects it models (schema.ts) plus everything deployed from
// force-app, read through the project's metadata loader (scripts/metadata: custom objects, custom
// settings, custom metadata types and their records, validation rules), so that the stand-in and the
// metadata cannot drift. The loader does not read custom fields added to standard objects (e.g. a
// CSM lookup on Account) nor a few enforcement details (restricted picklists, delete constraints):
// those are read here from the same files with the loader's XML helpers.

import path from 'node:path';
import { listFiles } from '../metadata/paths';
import { bool, list, readMetadataXml, text } from '../metadata/xml';
import {
  loadMetadata,
  type CustomMetadataRecord,
  type FieldMetadata,
  type ObjectMetadata
} from '../metadata/objects';
import { compileFormulaField } from './formula';
import {
  addField,
  makeField,
  makeObject,
  standardObjects,
  type FieldDef,
  type PicklistValue,
  type SObjectDef
} from './schema';

export class MetadataError extends Error {}

export interface Schema {
  objects: Map<string, SObjectDef>;
  /** Deployed object metadata by lower-cased API name (validation rules). */
  deployed: Map<string, ObjectMetadata>;
  customMetadataRecords: CustomMetadataRecord[];
  warnings: string[];
}

/** What the loader does not carry, read from the field file itself. */
function enforcementDetails(file: string | null): {
  restricted: boolean;
  deleteConstraint: string | null;
  reparentable: boolean;
} {
  if (!file) return { restricted: false, deleteConstraint: null, reparentable: false };
  const node = readMetadataXml(file, 'CustomField');
  const valueSet = list(node, 'valueSet')[0];
  return {
    restricted: bool(valueSet, 'restricted') || text(valueSet, 'valueSetName') !== undefined,
    deleteConstraint: text(node, 'deleteConstraint') ?? null,
    reparentable: bool(node, 'reparentableMasterDetail')
  };
}

/** A literal default value (`"Company NPS"`, `5`, `true`); formula defaults are not evaluated. */
function literalDefault(raw: string | null): string | number | boolean | null {
  if (raw === null) return null;
  const trimmed = raw.trim();
  if (/^".*"$/s.test(trimmed) || /^'.*'$/s.test(trimmed)) return trimmed.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (/^true$/i.test(trimmed)) return true;
  if (/^false$/i.test(trimmed)) return false;
  return null;
}

/** Maps one custom field of the deployed metadata to the local org's field definition. */
export function fieldFromMetadata(f: FieldMetadata): FieldDef {
  const details = enforcementDetails(f.file);
  const picklistValues: PicklistValue[] = (f.picklistValues ?? []).map((v) => ({
    value: v.value,
    label: v.label,
    active: true,
    defaultValue: v.isDefault
  }));
  const common = {
    label: f.label,
    nillable: !f.required,
    custom: true,
    unique: f.unique,
    caseSensitive: f.caseSensitive,
    externalId: f.externalId,
    trackHistory: f.trackHistory,
    inlineHelpText: f.helpText,
    defaultValue: literalDefault(f.defaultValue)
  };
  if (f.formula !== null) {
    const formula = {
      expression: f.formula,
      sql: null,
      treatBlanksAsZero: (f.formulaTreatBlanksAs ?? 'BlankAsZero') === 'BlankAsZero'
    };
    const base = {
      ...common,
      formula,
      nillable: true,
      createable: false,
      updateable: false,
      defaultValue: null
    };
    const precision = f.precision ?? 18;
    const scale = f.scale ?? 0;
    switch (f.type) {
      case 'Number':
        return makeField(f.apiName, 'double', { ...base, precision, scale });
      case 'Currency':
        return makeField(f.apiName, 'currency', { ...base, precision, scale });
      case 'Percent':
        return makeField(f.apiName, 'percent', { ...base, precision, scale });
      case 'Checkbox':
        return makeField(f.apiName, 'boolean', { ...base, nillable: false });
      case 'Date':
        return makeField(f.apiName, 'date', base);
      case 'DateTime':
        return makeField(f.apiName, 'datetime', base);
      default:
        return makeField(f.apiName, 'string', { ...base, length: 1300 });
    }
  }
  switch (f.type) {
    case 'Text':
      return makeField(f.apiName, 'string', { ...common, length: f.length ?? 255 });
    case 'TextArea':
      return makeField(f.apiName, 'textarea', { ...common, length: 255, filterable: true });
    case 'LongTextArea':
    case 'Html':
      return makeField(f.apiName, 'textarea', { ...common, length: f.length ?? 32768 });
    case 'Email':
      return makeField(f.apiName, 'email', { ...common, length: 80 });
    case 'Phone':
      return makeField(f.apiName, 'phone', { ...common, length: 40 });
    case 'Url':
      return makeField(f.apiName, 'url', { ...common, length: 255 });
    case 'Number':
      return makeField(f.apiName, 'double', { ...common, precision: f.precision ?? 18, scale: f.scale ?? 0 });
    case 'Currency':
      return makeField(f.apiName, 'currency', {
        ...common,
        precision: f.precision ?? 18,
        scale: f.scale ?? 2
      });
    case 'Percent':
      return makeField(f.apiName, 'percent', {
        ...common,
        precision: f.precision ?? 18,
        scale: f.scale ?? 2
      });
    case 'Checkbox':
      return makeField(f.apiName, 'boolean', {
        ...common,
        nillable: false,
        defaultedOnCreate: true,
        defaultValue: common.defaultValue ?? false
      });
    case 'Date':
      return makeField(f.apiName, 'date', common);
    case 'DateTime':
      return makeField(f.apiName, 'datetime', common);
    case 'Time':
      return makeField(f.apiName, 'string', { ...common, length: 12 });
    case 'Picklist':
    case 'MultiselectPicklist': {
      const defaultEntry = picklistValues.find((v) => v.defaultValue);
      return makeField(f.apiName, f.type === 'Picklist' ? 'picklist' : 'multipicklist', {
        ...common,
        picklistValues,
        restrictedPicklist: details.restricted,
        defaultValue: defaultEntry ? defaultEntry.value : common.defaultValue,
        defaultedOnCreate: Boolean(defaultEntry)
      });
    }
    case 'Lookup':
    case 'MasterDetail': {
      if (!f.referenceTo)
        throw new MetadataError(`${f.file ?? f.apiName}: a ${f.type} field needs <referenceTo>`);
      const masterDetail = f.type === 'MasterDetail';
      return makeField(f.apiName, 'reference', {
        ...common,
        referenceTo: [f.referenceTo],
        relationshipName: f.relationshipName,
        childRelationshipName: f.childRelationshipName,
        nillable: masterDetail ? false : common.nillable,
        updateable: masterDetail ? details.reparentable : true,
        cascadeDelete: masterDetail || details.deleteConstraint === 'Cascade',
        deleteConstraint: masterDetail
          ? 'None'
          : details.deleteConstraint === 'Restrict'
            ? 'Restrict'
            : 'SetNull'
      });
    }
    case 'AutoNumber':
      return makeField(f.apiName, 'string', {
        ...common,
        length: 30,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
        nillable: false
      });
    default:
      throw new MetadataError(
        `${f.file ?? f.apiName}: field type ${f.type} is not modelled by the local org`
      );
  }
}

function keyPrefix(letter: string, index: number): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return `${letter}${alphabet[Math.floor(index / 36) % 36]}${alphabet[index % 36]}`;
}

function objectFromMetadata(o: ObjectMetadata, prefix: string): SObjectDef {
  const custom = o.fields.filter((f) => f.custom).map(fieldFromMetadata);
  const base: FieldDef[] = [];
  let autoNumberFormat: string | null = null;
  const readOnly = { custom: false, createable: false, updateable: false };
  if (o.kind === 'CustomMetadataType') {
    base.push(
      makeField('DeveloperName', 'string', { length: 40, nillable: false, ...readOnly }),
      makeField('MasterLabel', 'string', { length: 40, nillable: false, ...readOnly }),
      makeField('Label', 'string', { length: 40, ...readOnly }),
      makeField('QualifiedApiName', 'string', { length: 70, ...readOnly }),
      makeField('NamespacePrefix', 'string', { length: 15, ...readOnly }),
      makeField('Language', 'picklist', readOnly),
      makeField('IsProtected', 'boolean', readOnly)
    );
  } else {
    const nameLabel = o.nameField?.label ?? 'Name';
    if (o.nameField?.type === 'AutoNumber') {
      autoNumberFormat = o.nameField.displayFormat ?? `${o.apiName.replace(/__c$/, '')}-{000000}`;
      base.push(
        makeField('Name', 'string', {
          length: 80,
          label: nameLabel,
          ...readOnly,
          nillable: false,
          defaultedOnCreate: true,
          idLookup: true
        })
      );
    } else {
      // Without a Name, the API names the record after its Id (defaultedOnCreate).
      base.push(
        makeField('Name', 'string', {
          length: 80,
          label: nameLabel,
          custom: false,
          nillable: false,
          defaultedOnCreate: true,
          idLookup: true
        })
      );
    }
    if (o.kind === 'CustomSetting') {
      base.push(
        makeField('SetupOwnerId', 'reference', {
          referenceTo: ['Organization', 'Profile', 'User'],
          relationshipName: 'SetupOwner',
          custom: false,
          label: 'Location ID'
        })
      );
    }
  }
  const hasMasterDetail = o.fields.some((f) => f.type === 'MasterDetail');
  const isMdt = o.kind === 'CustomMetadataType';
  return makeObject(o.apiName, prefix, [...base, ...custom], {
    label: o.label,
    labelPlural: o.pluralLabel,
    kind: isMdt ? 'customMetadata' : o.kind === 'CustomSetting' ? 'customSetting' : 'custom',
    ownable: o.kind === 'CustomObject' && !hasMasterDetail,
    createable: !isMdt,
    updateable: !isMdt,
    deletable: !isMdt,
    autoNumberFormat,
    nameField: isMdt ? 'MasterLabel' : 'Name'
  });
}

/**
 * Custom fields on standard objects (`objects/Account/fields/CSM__c.field-meta.xml`), which the
 * project loader leaves out. Only the attributes the local org enforces are read.
 */
function standardObjectFields(
  sourceDir: string,
  standardNames: Set<string>,
  warnings: string[]
): { objectName: string; field: FieldDef }[] {
  const out: { objectName: string; field: FieldDef }[] = [];
  const objectsDir = path.join(sourceDir, 'objects');
  for (const file of listFiles(objectsDir, (f) => f.endsWith('.field-meta.xml'))) {
    const objectName = path.relative(objectsDir, file).split(path.sep)[0] as string;
    if (/__(c|mdt)$/i.test(objectName)) continue;
    if (!standardNames.has(objectName.toLowerCase())) {
      warnings.push(`${file}: a field on ${objectName}, which the local org does not model; left out`);
      continue;
    }
    const node = readMetadataXml(file, 'CustomField');
    const apiName = text(node, 'fullName') ?? path.basename(file, '.field-meta.xml');
    const type = text(node, 'type') ?? 'Text';
    const isLookup = type === 'Lookup' || type === 'MasterDetail';
    const childName = text(node, 'relationshipName');
    const numberOf = (key: string): number | null => {
      const raw = text(node, key);
      return raw === undefined || raw === '' ? null : Number(raw);
    };
    const metadata: FieldMetadata = {
      object: objectName,
      apiName,
      label: text(node, 'label') ?? apiName,
      type: type as FieldMetadata['type'],
      valueKind: 'string',
      custom: true,
      required: bool(node, 'required'),
      unique: bool(node, 'unique'),
      externalId: bool(node, 'externalId'),
      caseSensitive: bool(node, 'caseSensitive'),
      referenceTo: isLookup ? (text(node, 'referenceTo') ?? null) : null,
      relationshipName: isLookup ? apiName.replace(/__c$/i, '__r') : null,
      childRelationshipName: isLookup && childName ? `${childName}__r` : null,
      picklistValues: list(list(list(node, 'valueSet')[0], 'valueSetDefinition')[0], 'value').map((v) => ({
        value: text(v, 'fullName') ?? '',
        label: text(v, 'label') ?? text(v, 'fullName') ?? '',
        isDefault: bool(v, 'default')
      })),
      formula: text(node, 'formula') ?? null,
      formulaTreatBlanksAs:
        text(node, 'formulaTreatBlanksAs') === 'BlankAsBlank' ? 'BlankAsBlank' : 'BlankAsZero',
      length: numberOf('length'),
      precision: numberOf('precision'),
      scale: numberOf('scale'),
      defaultValue: text(node, 'defaultValue') ?? null,
      description: text(node, 'description') ?? null,
      helpText: text(node, 'inlineHelpText') ?? null,
      trackHistory: bool(node, 'trackHistory'),
      file
    };
    out.push({ objectName, field: fieldFromMetadata(metadata) });
  }
  return out;
}

export interface SchemaOptions {
  /** Source folders (each like force-app/main/default); later folders add objects for tests. */
  sourceDirs: string[];
}

/** Standard objects + deployed metadata, with child relationships and formulas resolved. */
export function buildSchema(options: SchemaOptions): Schema {
  const objects = new Map<string, SObjectDef>();
  const deployed = new Map<string, ObjectMetadata>();
  const warnings: string[] = [];
  const customMetadataRecords: CustomMetadataRecord[] = [];
  for (const object of standardObjects()) objects.set(object.name.toLowerCase(), object);
  const standardNames = new Set(objects.keys());
  let customIndex = 0;
  let mdtIndex = 0;
  for (const sourceDir of options.sourceDirs) {
    const model = loadMetadata({ sourceDir });
    for (const o of model.objects) {
      if (objects.has(o.apiName.toLowerCase()))
        throw new MetadataError(
          `${o.file}: ${o.apiName} is defined twice (in ${sourceDir} and an earlier folder)`
        );
      const prefix =
        o.kind === 'CustomMetadataType' ? keyPrefix('m', mdtIndex++) : keyPrefix('a', customIndex++);
      objects.set(o.apiName.toLowerCase(), objectFromMetadata(o, prefix));
      deployed.set(o.apiName.toLowerCase(), o);
    }
    customMetadataRecords.push(...model.customMetadataRecords);
    for (const { objectName, field } of standardObjectFields(sourceDir, standardNames, warnings)) {
      addField(objects.get(objectName.toLowerCase()) as SObjectDef, field);
    }
  }
  for (const object of objects.values()) {
    for (const field of object.fields) {
      if (field.type !== 'reference' || field.name === 'CreatedById' || field.name === 'LastModifiedById')
        continue;
      for (const target of field.referenceTo) {
        const parent = objects.get(target.toLowerCase());
        if (!parent) {
          if (field.custom)
            throw new MetadataError(
              `${object.name}.${field.name} looks up ${target}, which is neither a standard object of the local org nor in force-app`
            );
          continue;
        }
        parent.childRelationships.push({
          childSObject: object.name,
          field: field.name,
          relationshipName: field.childRelationshipName,
          cascadeDelete: field.cascadeDelete
        });
      }
    }
  }
  for (const object of objects.values()) {
    for (const field of object.fields) {
      if (!field.formula) continue;
      compileFormulaField(object, field, objects);
      if (!field.formula.sql) {
        warnings.push(
          `${object.name}.${field.name}: formula not supported by the local org (${field.formula.unsupportedReason ?? 'unknown'}); queries that read it fail with an explicit error`
        );
      }
    }
  }
  return { objects, deployed, customMetadataRecords, warnings };
}
