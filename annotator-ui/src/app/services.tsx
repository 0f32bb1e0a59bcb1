import { createContext, useContext, type ReactNode } from 'react';
import type { RlhfApi } from '../api/RlhfApi';
import type { LocalJournal } from '../domain/localJournal';

export interface Services {
  api: RlhfApi;
  journal: LocalJournal;
  now: () => number;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('ServicesProvider missing');
  return s;
}
