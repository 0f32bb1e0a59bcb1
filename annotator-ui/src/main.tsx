import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'highlight.js/styles/github.css';
import './styles.css';
import { HttpRlhfApi } from './api/HttpRlhfApi';
import { App } from './app/App';
import { ServicesProvider } from './app/services';
import { LocalJournal } from './domain/localJournal';

const services = { api: new HttpRlhfApi(), journal: new LocalJournal(window.localStorage), now: () => Date.now() };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ServicesProvider services={services}>
      <App />
    </ServicesProvider>
  </StrictMode>,
);
