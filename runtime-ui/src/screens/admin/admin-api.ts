/** The account administration API as the admin screens use it (engine/src/http/routes/accounts.ts). */
import { api, query } from '../../api/client';
import type { Account, AccountChanges, Administration, Delivery, Handout, LookupItem, NewAccount } from '../../api/engine-types';

export type { Account, AccountField, Administration, Delivery, Handout, LookupItem } from '../../api/engine-types';


export const adminApi = {
  administration: () => api.get<Administration>('/api/users/administration'),
  search: (params: { q?: string; active?: boolean; skip: number; limit: number }) =>
    api.get<{ total: number; items: Account[] }>(`/api/users${query(params)}`),
  create: (body: NewAccount & { delivery: Delivery }) => api.post<Handout>('/api/users', body),
  update: (id: string, body: AccountChanges) => api.put<Account>(`/api/users/${id}`, body),
  deactivate: (id: string) => api.post<Account>(`/api/users/${id}/deactivate`),
  unlock: (id: string) => api.post<Account>(`/api/users/${id}/unlock`),
  resetPassword: (id: string, delivery: Delivery) => api.post<Handout>(`/api/users/${id}/reset-password`, { delivery }),
  lookup: async (key: string) => (await api.get<{ content: { title?: string; items: LookupItem[] } }>(`/api/definitions/lookup/${key}`)).content,
};
