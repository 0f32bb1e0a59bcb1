import { useState, type FormEvent } from 'react';
import type { User } from '../api/types';
import { useServices } from '../app/services';

export function LoginPage({ onLogin, expired = false }: { onLogin: (u: User) => void; expired?: boolean }) {
  const { api } = useServices();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onLogin(await api.login(username.trim(), password));
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Login failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="page login" id="main">
      <h1>RLHF annotator</h1>
      {expired && <p className="notice warning" role="status">Your session ended. Log in again to continue; your unsent work is kept on this device.</p>}
      <form onSubmit={submit} className="card stack" aria-describedby={error ? 'login-error' : undefined}>
        <label>Username
          <input name="username" autoComplete="username" autoFocus required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <p id="login-error" role="alert" className="error">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>Log in</button>
      </form>
    </main>
  );
}
