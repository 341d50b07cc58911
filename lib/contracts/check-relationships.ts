import type { ContractUnderCheck } from './contract-under-check.ts';
import { atField, type FieldPath } from './field-path.ts';
import type { ContractProblem } from './problems.ts';
import { resolveReference, type ReferenceLookup, type ReferenceOrigin } from './references.ts';

/** Every `relationships[]` entry must resolve to an existing column the contract may reference. */
export function checkRelationships(under: ContractUnderCheck, lookup: ReferenceLookup): ContractProblem[] {
  const { contract, source } = under;
  const origin: ReferenceOrigin = { file: source.file, domain: under.domain, contract };
  const problems: ContractProblem[] = [];
  const report = (path: FieldPath, message: string) => problems.push(source.problem(path, atField(path, message)));
  const resolve = (reference: string, path: FieldPath) => {
    const result = resolveReference(reference, origin, lookup);
    if ('problem' in result) report(path, result.problem);
    return result;
  };

  contract.schema.forEach((dataset, datasetIndex) => {
    dataset.properties.forEach((property, propertyIndex) =>
      property.relationships?.forEach((relationship, index) => {
        const path: FieldPath = ['schema', datasetIndex, 'properties', propertyIndex, 'relationships', index, 'to'];
        if (typeof relationship.to === 'string') resolve(relationship.to, path);
        else report(path, "a column's relationship points at one column; composite keys go in the schema object's relationships");
      }),
    );
    dataset.relationships?.forEach((relationship, index) => {
      const path: FieldPath = ['schema', datasetIndex, 'relationships', index];
      const from = typeof relationship.from === 'string' ? [relationship.from] : relationship.from!;
      const to = typeof relationship.to === 'string' ? [relationship.to] : relationship.to;
      if (typeof relationship.from !== typeof relationship.to || from.length !== to.length) {
        report(path, 'from and to must both be one reference or lists of the same length');
        return;
      }
      from.forEach((reference, item) => {
        const fromPath = typeof relationship.from === 'string' ? [...path, 'from'] : [...path, 'from', item];
        const result = resolve(reference, fromPath);
        if ('target' in result && (result.target.file !== source.file || result.target.dataset !== dataset.name)) {
          report(fromPath, `from must name a column of dataset '${dataset.name}' itself`);
        }
      });
      to.forEach((reference, item) => resolve(reference, typeof relationship.to === 'string' ? [...path, 'to'] : [...path, 'to', item]));
    });
  });
  return problems;
}
