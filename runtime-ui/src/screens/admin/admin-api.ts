/** The account administration API as the admin screens use it (engine/src/http/routes/accounts.ts). */
import { api, query } from '../../api/client';

export interface Account {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  phone?: string;
  roles: string[];
  attributes: Record<string, unknown>;
  active: boolean;
  locked: boolean;
  lastLoginAt?: string;
}

export interface AccountField {
  attribute: string;
  title: string;
  lookup?: string;
  multiple?: boolean;
}

export interface Administration {
  roles: string[] | '*';
  fixedAttributes: Record<string, string | number | boolean>;
  fields: AccountField[];
}

export interface Handout {
  account: Account;
  temporaryPassword?: string;
  emailed: boolean;
}

export type Delivery = 'show' | 'email';

export interface LookupItem {
  code: string;
  label: string;
  retired?: boolean;
}

export const adminApi = {
  administration: () => api.get<Administration>('/api/users/administration'),
  search: (params: { q?: string; active?: boolean; skip: number; limit: number }) =>
    api.get<{ total: number; items: Account[] }>(`/api/users${query(params)}`),
  create: (body: Omit<Account, 'id' | 'active' | 'locked'> & { delivery: Delivery }) => api.post<Handout>('/api/users', body),
  update: (id: string, body: Partial<Pick<Account, 'firstName' | 'lastName' | 'phone' | 'roles' | 'attributes' | 'active'>>) => api.put<Account>(`/api/users/${id}`, body),
  deactivate: (id: string) => api.post<Account>(`/api/users/${id}/deactivate`),
  unlock: (id: string) => api.post<Account>(`/api/users/${id}/unlock`),
  resetPassword: (id: string, delivery: Delivery) => api.post<Handout>(`/api/users/${id}/reset-password`, { delivery }),
  lookup: async (key: string) => (await api.get<{ content: { title?: string; items: LookupItem[] } }>(`/api/definitions/lookup/${key}`)).content,
};
