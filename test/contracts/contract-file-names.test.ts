import { describe, expect, it } from 'vitest';
import { checkCatalog } from '../../lib/contracts/load.ts';
import { formatProblem } from '../../lib/contracts/problems.ts';
import { MARKETING_CAMPAIGNS, MARKETING_DOMAIN, writeTree } from './helpers/contract-tree.ts';

/**
 * Which files `contracts check` reads as contracts, and that a file it does not read, yet may be
 * meant as one, is named rather than skipped without a word.
 */

function checked(files: Readonly<Record<string, string>>) {
  const root = writeTree(files);
  const { catalog, problems, warnings } = checkCatalog(root);
  const relative = (all: typeof problems) => all.map((problem) => formatProblem(problem).slice(root.length + 1));
  return {
    datasets: catalog?.domains.flatMap((domain) => domain.datasets.map((dataset) => `${dataset.domain}/${dataset.name}`)),
    problems: relative(problems),
    warnings: relative(warnings),
  };
}

describe('contract files a contracts root holds', () => {
  it('reads a .yml contract as a .yaml one', () => {
    expect(checked({ 'marketing/domain.yaml': MARKETING_DOMAIN, 'marketing/campaigns.yml': MARKETING_CAMPAIGNS })).toEqual({
      datasets: ['marketing/campaigns'],
      problems: [],
      warnings: [],
    });
  });

  it('reads .YAML and .YML in capitals too', () => {
    expect(checked({ 'marketing/domain.yaml': MARKETING_DOMAIN, 'marketing/Campaigns.YML': MARKETING_CAMPAIGNS }).datasets).toEqual(['marketing/campaigns']);
  });

  it('refuses a domain.yml instead of reading it as a contract', () => {
    const { problems } = checked({ 'marketing/domain.yml': MARKETING_DOMAIN, 'marketing/campaigns.yaml': MARKETING_CAMPAIGNS });
    expect(problems).toEqual([
      expect.stringMatching(/^marketing\/campaigns\.yaml:1:1: .*domain\.yaml is missing/),
      'marketing/domain.yml:1:1: the domain file is named domain.yaml; rename this file, which is not read',
    ]);
  });

  it('warns of a JSON file in a domain folder, which it does not read, and says how it would be', () => {
    expect(checked({ 'marketing/domain.yaml': MARKETING_DOMAIN, 'marketing/campaigns.yaml': MARKETING_CAMPAIGNS, 'marketing/orders.json': '{}' })).toEqual({
      datasets: ['marketing/campaigns'],
      problems: [],
      warnings: ['marketing/orders.json:1:1: warning: not read: contracts are read from .yaml and .yml files; if this is one (JSON is YAML), rename it orders.yaml'],
    });
  });

  it('warns of a contract in the root, which it does not read, and says where it belongs', () => {
    const root = writeTree({ 'marketing/domain.yaml': MARKETING_DOMAIN, 'campaigns.yaml': MARKETING_CAMPAIGNS, 'README.md': '# contracts', '.editorconfig.yml': 'x: 1\n' });
    const { catalog, warnings } = checkCatalog(root);
    expect(catalog).toBeDefined();
    expect(warnings.map(formatProblem)).toEqual([
      `${root}/campaigns.yaml:1:1: warning: not read: contracts are read from domain folders; move it to ${root}/<domain>/campaigns.yaml, beside that folder's domain.yaml`,
    ]);
  });
});
