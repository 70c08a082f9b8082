import { describe, expect, it } from 'vitest';
import { listHref, readListState, toListInput } from './list-params';

const from = (qs: string) => {
  const p = new URLSearchParams(qs);
  return readListState((k) => p.get(k));
};

describe('list URL state', () => {
  it('drops values the services would refuse', () => {
    expect(from('cloud=mars&status=gone&project=nope&archived=maybe&page=-3')).toEqual({ q: '', project: '', cloud: '', status: '', archived: 'live', page: 1 });
  });

  it('round-trips through the URL and builds the query input', () => {
    const state = from('q=web+app&cloud=aws&status=draft&archived=all&page=3&project=6f1c2f7e-1d2b-4c3a-9e8f-0a1b2c3d4e5f');
    expect(from(listHref(state).split('?')[1]!)).toEqual(state);
    expect(toListInput(state)).toEqual({ search: 'web app', projectId: '6f1c2f7e-1d2b-4c3a-9e8f-0a1b2c3d4e5f', cloud: 'aws', status: 'draft', archived: 'all', page: 3, pageSize: 20 });
    expect(listHref({ ...state, q: ' ', project: '', cloud: '', status: '', archived: 'live', page: 1 })).toBe('/blueprints');
  });
});
