import { useEffect, useState, type FormEvent } from 'react';
import type { Role, User } from '../api/types';
import { useServices } from '../app/services';

const ROLES: Role[] = ['rater', 'researcher', 'admin'];

export function UsersPage() {
  const { api } = useServices();
  const [users, setUsers] = useState<User[]>([]);
  const [message, setMessage] = useState('');
  const [form, setForm] = useState({ username: '', displayName: '', password: '', roles: ['rater'] as Role[] });

  const reload = () => api.users().then(setUsers, (e: Error) => setMessage(e.message));
  useEffect(() => { void reload(); }, [api]);

  const act = async (what: string, f: () => Promise<unknown>) => {
    try { await f(); setMessage(what); await reload(); } catch (e) { setMessage(`Failed: ${(e as Error).message}`); }
  };
  const toggle = (roles: Role[], r: Role) => (roles.includes(r) ? roles.filter((x) => x !== r) : [...roles, r]);

  const create = (e: FormEvent) => {
    e.preventDefault();
    void act(`User ${form.username} created.`, async () => {
      await api.createUser({ ...form, displayName: form.displayName || undefined });
      setForm({ username: '', displayName: '', password: '', roles: ['rater'] });
    });
  };

  return (
    <main className="page stack">
      <h1>Users and roles</h1>
      {message && <p role="status" className="notice">{message}</p>}
      <table className="data" aria-label="Users">
        <thead><tr><th scope="col">User</th>{ROLES.map((r) => <th key={r} scope="col">{r}</th>)}<th scope="col">Enabled</th></tr></thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.username}{u.displayName ? <span className="muted"> · {u.displayName}</span> : null}</td>
              {ROLES.map((r) => (
                <td key={r}>
                  <input type="checkbox" aria-label={`${u.username} is ${r}`} checked={u.roles.includes(r)}
                    onChange={() => act(`Roles of ${u.username} saved.`, () => api.updateUser(u.id, { roles: toggle(u.roles, r) }))} />
                </td>
              ))}
              <td>
                <input type="checkbox" aria-label={`${u.username} enabled`} checked={u.enabled}
                  onChange={() => act(`${u.username} ${u.enabled ? 'disabled' : 'enabled'}.`,
                    () => (u.enabled ? api.disableUser(u.id) : api.updateUser(u.id, { enabled: true })))} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card stack" onSubmit={create} aria-labelledby="new-user">
        <h2 id="new-user">New user</h2>
        <div className="grid-form">
          <label>Username<input required value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} /></label>
          <label>Display name<input value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} /></label>
          <label>Password<input required type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} /></label>
        </div>
        <fieldset className="row">
          <legend>Roles</legend>
          {ROLES.map((r) => (
            <label key={r} className="radio"><input type="checkbox" checked={form.roles.includes(r)} onChange={() => setForm({ ...form, roles: toggle(form.roles, r) })} /> {r}</label>
          ))}
        </fieldset>
        <button type="submit" className="primary">Create user</button>
      </form>
    </main>
  );
}
