// What the org computes from the metadata for one record: formula field values and the validation
// rules a record breaks. Lets Node code (the local org, tests) reuse the deployed formulas instead of
// re-implementing them.

import { evaluateFormula, roundHalfAwayFromZero, type FormulaValue } from './formula';
import type { ObjectMetadata, ValidationRuleMetadata } from './objects';

function isNumberField(object: ObjectMetadata): (path: string) => boolean {
  return (path) =>
    object.fields.some((f) => f.apiName.toLowerCase() === path.toLowerCase() && f.valueKind === 'number');
}

/**
 * The value the org returns for formula field `fieldApiName` of `object` on `record` (a plain object of
 * field values): a blank Text result is null, a Number is rounded to the field's scale, a Checkbox is never null.
 */
export function evaluateFormulaField(
  object: ObjectMetadata,
  fieldApiName: string,
  record: Record<string, unknown>
): FormulaValue {
  const field = object.fields.find((f) => f.apiName.toLowerCase() === fieldApiName.toLowerCase());
  if (!field?.formula) throw new Error(`${object.apiName}.${fieldApiName} is not a formula field`);
  const value = evaluateFormula(field.formula, record, {
    treatBlanksAs: field.formulaTreatBlanksAs ?? 'BlankAsZero',
    isNumberField: isNumberField(object)
  });
  if (field.type === 'Checkbox') return value === true;
  if (value === '' || value === null) return null;
  if (field.valueKind === 'number' && typeof value === 'number')
    return roundHalfAwayFromZero(value, field.scale ?? 0);
  return value;
}

/**
 * The active validation rules that reject `record` (their error condition is true), in name order.
 * Validation rules see a blank field as blank (ISBLANK of an empty number is true).
 */
export function failedValidationRules(
  object: ObjectMetadata,
  record: Record<string, unknown>
): ValidationRuleMetadata[] {
  return object.validationRules.filter(
    (rule) => rule.active && evaluateFormula(rule.formula, record, { treatBlanksAs: 'BlankAsBlank' }) === true
  );
}
