// The formula reader used for formula fields and validation rules (scripts/metadata/formula.ts).

import { evaluateFormula, FormulaError, formulaReferences, parseFormula } from '../formula';

describe('formulaReferences', () => {
  test('lists the fields a formula reads, once each, without functions, literals or globals', () => {
    expect(
      formulaReferences(
        'IF(ISBLANK(Score__c), "", IF(Score__c >= 9, "Promoter", Account__r.Name & $User.Id))'
      )
    ).toEqual(['Score__c', 'Account__r.Name']);
  });
  test('ignores comments and text that looks like a field', () => {
    expect(formulaReferences('/* Old_Field__c */ IF(TRUE, "Score__c", NULL)')).toEqual([]);
  });
});

describe('evaluateFormula', () => {
  const record = { Score__c: 7, Name: 'NPS-000001', Account__r: { Name: 'Acme' } };
  test.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['-Score__c + 10', 3],
    ['2 ^ 3', 8],
    ['Score__c >= 7 && Score__c <= 8', true],
    ['Score__c = 7 || FALSE', true],
    ['Score__c <> 7', false],
    ['"NPS " & Account__r.Name', 'NPS Acme'],
    ['IF(Score__c >= 9, 100, IF(Score__c >= 7, 0, -100))', 0],
    ['CASE(Score__c, 10, "top", 7, "seven", "other")', 'seven'],
    ['AND(Score__c > 1, NOT(ISBLANK(Name)))', true],
    ['OR(Score__c > 9, ISPICKVAL(Metric__c, ""))', true],
    ['BLANKVALUE(Missing__c, 5)', 5],
    ['ROUND(2.5, 0)', 3],
    ['ROUND(-2.5, 0)', -3],
    ['MAX(1, Score__c, 3) + MIN(4, 2)', 9],
    ['LEN(TEXT(Score__c))', 1],
    ['ABS(-4)', 4]
  ])('%s = %p', (formula, expected) => {
    expect(evaluateFormula(formula, record, { treatBlanksAs: 'BlankAsBlank' })).toBe(expected);
  });
  test('field names are case-insensitive, as in Salesforce', () => {
    expect(evaluateFormula('score__C + 1', record)).toBe(8);
  });
  test('blank as blank: arithmetic on a blank is blank, ISBLANK sees it', () => {
    expect(evaluateFormula('Score__c + 1', {}, { treatBlanksAs: 'BlankAsBlank' })).toBeNull();
    expect(evaluateFormula('ISBLANK(Score__c)', { Score__c: null }, { treatBlanksAs: 'BlankAsBlank' })).toBe(
      true
    );
  });
  test('blank as zero: a blank number reads as 0', () => {
    expect(
      evaluateFormula('Score__c + 1', {}, { treatBlanksAs: 'BlankAsZero', isNumberField: () => true })
    ).toBe(1);
  });
  test('errors say what is wrong and where', () => {
    expect(() => parseFormula('IF(Score__c > 1, "a"')).toThrow(/expected "\)" at character 21/);
    expect(() => parseFormula('Score__c # 2')).toThrow(FormulaError);
    expect(() => evaluateFormula('VLOOKUP(1, 2, 3)', {})).toThrow(/function VLOOKUP is not supported/);
    expect(() => evaluateFormula('1 / (Score__c - 7)', record)).toThrow(/division by zero/);
    expect(() => evaluateFormula('IF(TRUE, 1)', {})).toThrow(/IF takes 3 arguments, got 2/);
  });
});
