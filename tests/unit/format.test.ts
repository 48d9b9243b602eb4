import { describe, expect, it } from 'vitest';
import { formatTarget, opinionsAbout, quoteTitle } from '~/utils/format';

describe('formatTarget', () => {
  const section = { sectionNumber: 3, sectionTitle: '民生分野の改善状況について', itemNumber: 2, itemHeading: '民生の短所を補う。' };

  it('names the whole notice', () => {
    expect(formatTarget({ sectionNumber: 0 })).toBe('通報全体');
    expect(opinionsAbout({ sectionNumber: 0 })).toBe('通報全体への意見');
  });

  it('reads naturally when titles end in について or 。', () => {
    expect(formatTarget(section)).toBe('第三項「民生分野の改善状況について」 ／ (二)「民生の短所を補う」');
    expect(opinionsAbout({ ...section, itemNumber: null })).toBe('第三項「民生分野の改善状況について」への意見');
    expect(opinionsAbout(section)).not.toMatch(/についてへの|。への/);
  });

  it('has a short form for tables', () => {
    expect(formatTarget(section, 'short')).toBe('第三項(二)');
    expect(formatTarget({ ...section, itemNumber: null }, 'short')).toBe('第三項');
  });

  it('never doubles brackets', () => {
    expect(quoteTitle('「整備」')).toBe('「整備」');
    expect(quoteTitle('「区委員会は…」問題の改善状況')).toBe('「『区委員会は…』問題の改善状況」');
    expect(formatTarget({ sectionNumber: 1, sectionTitle: '「三重一大」の実施' })).not.toContain('「「');
  });
});
