// The object model against its contract (DESIGN.md § Data model) and against what an admin needs:
// every field exists with the agreed type, is described, formulas read only fields that exist and
// agree with the calculation core, required values are enforced without giving CSMs edit access.

import { categoryOf, DEFAULT_SETTINGS, NPS_POINTS } from 'c/npsCore';
import {
  evaluateFormulaField,
  failedValidationRules,
  formulaReferences,
  loadMetadata,
  MetadataLookupError,
  readMetadataXml,
  type FieldMetadata,
  type MetadataModel
} from '../index';
import { list, text } from '../xml';
import path from 'node:path';

const model: MetadataModel = loadMetadata();
const response = model.getObject('NPS_Response__c');
const snapshot = model.getObject('NPS_Snapshot__c');

type Expected = [apiName: string, type: string, extra: Partial<FieldMetadata>];

// DESIGN.md § Data model: API names and types are contracts with the sync and the components.
const RESPONSE_FIELDS: Expected[] = [
  ['Source_Id__c', 'Text', { length: 255, externalId: true, unique: true }],
  ['Account__c', 'Lookup', { referenceTo: 'Account', relationshipName: 'Account__r' }],
  ['Contact__c', 'Lookup', { referenceTo: 'Contact', relationshipName: 'Contact__r' }],
  ['CSM__c', 'Lookup', { referenceTo: 'User', relationshipName: 'CSM__r' }],
  ['Score__c', 'Number', { precision: 2, scale: 0 }],
  ['Responded_At__c', 'DateTime', {}],
  ['Metric__c', 'Picklist', {}],
  ['Comment__c', 'LongTextArea', { length: 32768 }],
  ['Source__c', 'Text', { length: 40 }],
  ['Category__c', 'Text', {}],
  ['NPS_Points__c', 'Number', {}],
  ['Followed_Up__c', 'Checkbox', {}]
];
const SNAPSHOT_FIELDS: Expected[] = [
  ['Key__c', 'Text', { externalId: true, unique: true }],
  ['CSM__c', 'Lookup', { referenceTo: 'User', relationshipName: 'CSM__r' }],
  ['Metric__c', 'Picklist', {}],
  ['Period_Type__c', 'Picklist', {}],
  ['Period_Label__c', 'Text', {}],
  ['Period_Start__c', 'Date', {}],
  ...['Responses__c', 'Promoters__c', 'Passives__c', 'Detractors__c'].map((f): Expected => [
    f,
    'Number',
    { scale: 0 }
  ]),
  ...['NPS__c', 'CI_Low__c', 'CI_High__c', 'Mean_Score__c', 'Shrunk_NPS__c', 'Change__c'].map(
    (f): Expected => [f, 'Number', {}]
  ),
  ['Change_Significant__c', 'Checkbox', {}],
  ['Goal_Status__c', 'Picklist', {}],
  ['Probability_Above_Floor__c', 'Number', {}],
  ['Probability_Improved__c', 'Number', {}]
];

describe.each([
  ['NPS_Response__c', RESPONSE_FIELDS],
  ['NPS_Snapshot__c', SNAPSHOT_FIELDS]
])('%s matches DESIGN.md', (objectName, expected) => {
  test.each(expected)('%s is %s', (apiName, type, extra) => {
    const field = model.getField(objectName, apiName);
    expect(field.type).toBe(type);
    expect(field).toMatchObject(extra);
  });

  test('has no custom field beyond the contract', () => {
    expect(
      model
        .customFields(objectName)
        .map((f) => f.apiName)
        .sort()
    ).toEqual(expected.map(([name]) => name).sort());
  });

  test('is Private: records are owned by the CSM, managers see their team through the role hierarchy', () => {
    expect(model.getObject(objectName).sharingModel).toBe('Private');
  });
});

test('Category and NPS Points are formulas; the others are stored', () => {
  const formulas = response.fields.filter((f) => f.formula !== null).map((f) => f.apiName);
  expect(formulas.sort()).toEqual(['Category__c', 'NPS_Points__c']);
  expect(snapshot.fields.some((f) => f.formula !== null)).toBe(false);
});

test('the external ids are case-sensitive, because they hold record Ids', () => {
  expect(model.getField('NPS_Response__c', 'Source_Id__c').caseSensitive).toBe(true);
  expect(model.getField('NPS_Snapshot__c', 'Key__c').caseSensitive).toBe(true);
});

test('picklist values are the contract values, Company NPS the default metric', () => {
  const values = (object: string, field: string): string[] =>
    (model.getField(object, field).picklistValues ?? []).map((v) => v.value);
  expect(values('NPS_Response__c', 'Metric__c')).toEqual(['Company NPS', 'CSM NPS']);
  expect(model.getField('NPS_Response__c', 'Metric__c').picklistValues).toEqual(
    model.getField('NPS_Snapshot__c', 'Metric__c').picklistValues
  );
  expect(
    model
      .getField('NPS_Response__c', 'Metric__c')
      .picklistValues?.filter((v) => v.isDefault)
      .map((v) => v.value)
  ).toEqual(['Company NPS']);
  expect(values('NPS_Snapshot__c', 'Period_Type__c')).toEqual(['Month', 'Quarter', 'Fiscal Quarter']);
  expect(values('NPS_Snapshot__c', 'Goal_Status__c')).toEqual(['Met', 'Not Met', 'Insufficient Data']);
});

describe('numbers are stored unrounded enough for what they hold', () => {
  test.each(['NPS__c', 'CI_Low__c', 'CI_High__c', 'Shrunk_NPS__c', 'Mean_Score__c', 'Change__c'])(
    '%s keeps 6 decimals and -200..200',
    (name) => {
      const field = model.getField('NPS_Snapshot__c', name);
      expect(field.scale).toBeGreaterThanOrEqual(6);
      expect((field.precision ?? 0) - (field.scale ?? 0)).toBeGreaterThanOrEqual(3); // a change can reach ±200
    }
  );
  test.each(['Probability_Above_Floor__c', 'Probability_Improved__c'])(
    '%s is a 0-1 number with 8 decimals, not a Percent',
    (name) => {
      const field = model.getField('NPS_Snapshot__c', name);
      expect(field.type).toBe('Number');
      expect(field.scale).toBeGreaterThanOrEqual(8);
      expect((field.precision ?? 0) - (field.scale ?? 0)).toBeGreaterThanOrEqual(1);
    }
  );
});

test('Change Significant explains that it is unticked (not applicable) when Change is blank', () => {
  const field = model.getField('NPS_Snapshot__c', 'Change_Significant__c');
  expect(field.defaultValue).toBe('false');
  expect(field.description).toMatch(/Change is blank/);
  expect(field.helpText).toMatch(/no previous period/);
});

describe('every custom field is documented for an admin', () => {
  const fields = model.objects.flatMap((o) => o.fields.filter((f) => f.custom));
  test.each(fields.map((f) => [`${f.object}.${f.apiName}`, f] as const))(
    '%s has a description and help text within the limits',
    (_, field) => {
      expect(field.description?.length ?? 0).toBeGreaterThan(20);
      expect(field.description?.length ?? 0).toBeLessThanOrEqual(1000);
      expect(field.helpText?.length ?? 0).toBeGreaterThan(10);
      expect(field.helpText?.length ?? 0).toBeLessThanOrEqual(510);
      expect(field.label.length).toBeLessThanOrEqual(40);
    }
  );
  test.each(model.objects.map((o) => [o.apiName, o] as const))('%s has a description', (_, object) => {
    expect(object.description?.length ?? 0).toBeGreaterThan(40);
    expect(object.description?.length ?? 0).toBeLessThanOrEqual(1000);
  });
});

test('no field is universally required: required values are validation rules, so permission sets can keep fields read-only', () => {
  // A universally required field is editable by everyone who can edit the record and cannot be
  // listed in a permission set; CSMs must not be able to edit Score__c.
  expect(
    model.objects.flatMap((o) =>
      o.fields.filter((f) => f.custom && f.required).map((f) => `${o.apiName}.${f.apiName}`)
    )
  ).toEqual([]);
});

describe('formulas read only fields that exist', () => {
  const formulas = [
    ...model.objects.flatMap((o) =>
      o.fields
        .filter((f) => f.formula)
        .map((f) => ({ object: o.apiName, what: `${o.apiName}.${f.apiName}`, formula: f.formula as string }))
    ),
    ...model.objects.flatMap((o) =>
      o.validationRules.map((r) => ({
        object: o.apiName,
        what: `validation rule ${o.apiName}.${r.name}`,
        formula: r.formula
      }))
    )
  ];
  test.each(formulas.map((f) => [f.what, f] as const))('%s', (_, { object, formula }) => {
    const refs = formulaReferences(formula);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(() => model.getField(object, ref.split('.')[0] as string)).not.toThrow();
  });
});

describe('the formula fields agree with the calculation core (c/npsCore) for every score', () => {
  test.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('score %i', (score) => {
    const category = categoryOf(score);
    expect(evaluateFormulaField(response, 'Category__c', { Score__c: score })).toBe(
      category[0]?.toUpperCase() + category.slice(1)
    );
    expect(evaluateFormulaField(response, 'NPS_Points__c', { Score__c: score })).toBe(NPS_POINTS[category]);
  });
  test('a response without a score has no category and no points (so it does not count in an average)', () => {
    expect(evaluateFormulaField(response, 'Category__c', { Score__c: null })).toBeNull();
    expect(evaluateFormulaField(response, 'NPS_Points__c', {})).toBeNull();
  });
  test('the average of NPS Points is the NPS: 100 x (P - D) / n', () => {
    const scores = [10, 9, 9, 8, 7, 6, 3, 0, 10, 5];
    const points = scores.map(
      (s) => evaluateFormulaField(response, 'NPS_Points__c', { Score__c: s }) as number
    );
    const promoters = scores.filter((s) => s >= 9).length;
    const detractors = scores.filter((s) => s <= 6).length;
    expect(points.reduce((a, b) => a + b, 0) / points.length).toBeCloseTo(
      (100 * (promoters - detractors)) / scores.length,
      10
    );
  });
});

describe('validation rules reject incomplete records and accept what the sync writes', () => {
  const goodResponse = {
    Source_Id__c: '0Mxxx0000000001',
    Score__c: 9,
    Responded_At__c: '2025-03-04T10:00:00Z',
    Metric__c: 'Company NPS'
  };
  test('a complete response passes', () => {
    expect(failedValidationRules(response, goodResponse)).toEqual([]);
  });
  test.each([
    [{ Source_Id__c: '' }, 'Source_Id_Required'],
    [{ Score__c: null }, 'Score_Must_Be_0_To_10'],
    [{ Score__c: 11 }, 'Score_Must_Be_0_To_10'],
    [{ Score__c: -1 }, 'Score_Must_Be_0_To_10'],
    [{ Responded_At__c: null }, 'Responded_At_Required'],
    [{ Metric__c: null }, 'Metric_Required']
  ])('%o breaks %s', (change, rule) => {
    expect(failedValidationRules(response, { ...goodResponse, ...change }).map((r) => r.name)).toEqual([
      rule
    ]);
  });
  test('a snapshot needs its key, metric and period', () => {
    const good = {
      Key__c: '005xx|Company NPS|Quarter|2025-Q1',
      Metric__c: 'Company NPS',
      Period_Type__c: 'Quarter',
      Period_Label__c: '2025-Q1',
      Period_Start__c: '2025-01-01'
    };
    expect(failedValidationRules(snapshot, good)).toEqual([]);
    expect(failedValidationRules(snapshot, { ...good, Key__c: null }).map((r) => r.name)).toEqual([
      'Key_Required'
    ]);
    expect(failedValidationRules(snapshot, { ...good, Period_Start__c: null }).map((r) => r.name)).toEqual([
      'Group_Required'
    ]);
  });
  test('every rule has an error message that says what to do, on the field concerned', () => {
    for (const rule of model.objects.flatMap((o) => o.validationRules)) {
      expect(rule.active).toBe(true);
      expect(rule.errorMessage.length).toBeGreaterThan(15);
      if (rule.errorField) expect(() => model.getField(rule.object, rule.errorField as string)).not.toThrow();
    }
  });
});

test('lookups reach their parents under distinct child relationship names', () => {
  const byParent = new Map<string, string[]>();
  for (const field of model.objects.flatMap((o) => o.fields.filter((f) => f.custom && f.referenceTo))) {
    const names = byParent.get(field.referenceTo as string) ?? [];
    names.push(field.childRelationshipName as string);
    byParent.set(field.referenceTo as string, names);
  }
  for (const [, names] of byParent) expect(new Set(names).size).toBe(names.length);
  expect(model.findChildRelationships('Account', 'NPS_Responses__r').map((f) => f.object)).toEqual([
    'NPS_Response__c'
  ]);
  expect(model.findChildRelationships('User', 'CSM_NPS_Responses__r').map((f) => f.object)).toEqual([
    'NPS_Response__c'
  ]);
  expect(model.findChildRelationships('User', 'CSM_NPS_Snapshots__r').map((f) => f.object)).toEqual([
    'NPS_Snapshot__c'
  ]);
});

test('NPS_Setting__mdt has the Default record with the defaults of DESIGN.md and of the core', () => {
  const record = model.getCustomMetadataRecord('NPS_Setting__mdt', 'Default');
  expect(record.values).toEqual({
    Improvement_Target__c: DEFAULT_SETTINGS.improvementTarget,
    NPS_Floor__c: DEFAULT_SETTINGS.floor,
    Min_Responses__c: DEFAULT_SETTINGS.minResponses,
    Confidence_Level__c: DEFAULT_SETTINGS.confidence,
    Prior_Strength__c: DEFAULT_SETTINGS.priorStrength,
    CSM_Field__c: 'Owner'
  });
  expect(record.values).toMatchObject({
    Improvement_Target__c: 5,
    NPS_Floor__c: 30,
    Min_Responses__c: 5,
    Confidence_Level__c: 0.95,
    Prior_Strength__c: 10
  });
});

test('the sync keeps its watermark in the org, in NPS_Sync_State__c', () => {
  const state = model.getObject('NPS_Sync_State__c');
  expect(state.kind).toBe('CustomObject');
  expect(model.getField('NPS_Sync_State__c', 'Key__c')).toMatchObject({
    type: 'Text',
    externalId: true,
    unique: true
  });
  expect(model.getField('NPS_Sync_State__c', 'Watermark__c').type).toBe('DateTime');
  expect(model.getField('NPS_Sync_State__c', 'Last_Run_Summary__c').type).toBe('LongTextArea');
});

describe('list views', () => {
  test.each(model.objects.flatMap((o) => o.listViews).map((v) => [`${v.object}.${v.name}`, v] as const))(
    '%s shows and filters fields that exist',
    (_, view) => {
      for (const column of view.columns.filter((c) => c !== 'NAME'))
        expect(() => model.getField(view.object, column)).not.toThrow();
      for (const filter of view.filters)
        expect(() => model.getField(view.object, filter.field)).not.toThrow();
    }
  );
  test('"Detractors to Follow Up" lists detractors nobody has followed up', () => {
    const view = response.listViews.find((v) => v.name === 'Detractors_to_Follow_Up');
    expect(view?.filters).toEqual([
      { field: 'Category__c', operation: 'equals', value: 'Detractor' },
      { field: 'Followed_Up__c', operation: 'equals', value: '0' }
    ]);
  });
  test('"This Quarter" exists for responses and snapshots', () => {
    expect(response.listViews.find((v) => v.name === 'This_Quarter')?.filters).toEqual([
      { field: 'Responded_At__c', operation: 'equals', value: 'THIS_QUARTER' }
    ]);
    expect(snapshot.listViews.map((v) => v.name)).toContain('This_Quarter');
  });
});

describe('page layouts and compact layouts', () => {
  const layoutsDir = path.join(model.sourceDir, 'layouts');
  test.each(model.objects.map((o) => [o.apiName] as const))(
    '%s: its layout shows every custom field, formulas read-only',
    (objectName) => {
      const label = `${model.getObject(objectName).label} Layout`;
      const layout = readMetadataXml(
        path.join(layoutsDir, `${objectName}-${label}.layout-meta.xml`),
        'Layout'
      );
      const items = list(layout, 'layoutSections')
        .flatMap((s) => list(s, 'layoutColumns'))
        .flatMap((c) => list(c, 'layoutItems'))
        .map((i) => ({ field: text(i, 'field') ?? '', behavior: text(i, 'behavior') ?? '' }));
      for (const item of items) expect(() => model.getField(objectName, item.field)).not.toThrow();
      expect(items.map((i) => i.field)).toEqual(
        expect.arrayContaining(model.customFields(objectName).map((f) => f.apiName))
      );
      for (const item of items) {
        const field = model.getField(objectName, item.field);
        if (field.formula || field.type === 'AutoNumber') expect(item.behavior).toBe('Readonly');
      }
    }
  );
  test('compact layouts show fields that exist', () => {
    for (const object of [response, snapshot]) {
      const file = path.join(
        path.dirname(object.file),
        'compactLayouts',
        `${object.apiName.replace(/__c$/, '')}_Compact.compactLayout-meta.xml`
      );
      const fields = list(readMetadataXml(file, 'CompactLayout'), 'fields').map((f) => text(f) ?? '');
      expect(fields.length).toBeGreaterThan(2);
      for (const field of fields) expect(() => model.getField(object.apiName, field)).not.toThrow();
    }
  });
});

describe('the loader explains what is missing', () => {
  test('an unknown field names the object and suggests the closest field', () => {
    expect(() => model.getField('NPS_Response__c', 'Scores__c')).toThrow(MetadataLookupError);
    expect(() => model.getField('NPS_Response__c', 'Scores__c')).toThrow(
      /No field Scores__c on NPS_Response__c \(did you mean Score__c\?\)/
    );
  });
  test('an unknown object suggests the closest object', () => {
    expect(() => model.getObject('NPS_Responses__c')).toThrow(/did you mean NPS_Response__c\?/);
  });
  test('lookups are case-insensitive, as in Salesforce', () => {
    expect(model.getField('nps_response__c', 'score__C').apiName).toBe('Score__c');
  });
  test('standard fields are there, with the relationship names queries use', () => {
    expect(model.getField('NPS_Snapshot__c', 'OwnerId')).toMatchObject({
      custom: false,
      referenceTo: 'User',
      relationshipName: 'Owner'
    });
    expect(model.getField('NPS_Response__c', 'Name')).toMatchObject({ type: 'AutoNumber', custom: false });
    expect(model.getField('NPS_Setting__mdt', 'DeveloperName').custom).toBe(false);
  });
});
