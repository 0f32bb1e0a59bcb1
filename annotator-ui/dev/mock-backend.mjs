// A stand-in for the backend, for UI development and for trying the e2e suite before the real one runs.
// It follows backend/API.md loosely, keeps everything in memory and serves dist/ at /. Not used by any test.
// Usage: npm run build && node dev/mock-backend.mjs [port]   (accounts as seeded by `rlhf up --demo`)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { extname, join, normalize } from 'node:path';

const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
const dist = new URL('../dist/', import.meta.url).pathname;
const now = () => new Date().toISOString();

const users = [
  { id: randomUUID(), username: 'admin', displayName: 'Admin', roles: ['admin'], enabled: true, password: process.env.RLHF_ADMIN_PASSWORD ?? 'admin' },
  { id: randomUUID(), username: 'researcher', displayName: 'Researcher', roles: ['researcher'], enabled: true, password: 'researcher-demo' },
  ...[1, 2, 3].map((i) => ({ id: randomUUID(), username: `rater${i}`, displayName: `Rater ${i}`, roles: ['rater'], enabled: true, password: 'rater-demo' })),
];
const sessions = new Map();
const campaigns = [];
const prompts = []; // {id, campaignId, messages, completions:[{id,text}]}
const tasks = [];   // {id, campaignId, promptId, completionIds, judgments: []}
const leases = new Map(); // assignmentId -> {taskId, userId, expiresAt, order}
const judgments = [];

function campaign(input) {
  const c = { id: randomUUID(), status: 'DRAFT', createdAt: now(), description: '', leaseMinutes: 10, ...input, guidelines: [] };
  c.guidelines.push({ version: 1, markdown: input.guidelines ?? '', createdAt: now() });
  campaigns.push(c);
  return c;
}
function view(c) {
  const { guidelines, ...rest } = c;
  return { ...rest, guidelineVersion: guidelines.length, tasks: tasks.filter((t) => t.campaignId === c.id).length,
    judgments: judgments.filter((j) => j.campaignId === c.id).length };
}
function importLine(c, obj) {
  if (!obj || (typeof obj.prompt !== 'string' && !Array.isArray(obj.prompt))) throw new Error('prompt: a string or a list of messages is required');
  if (!Array.isArray(obj.completions) || obj.completions.length < 1) throw new Error('completions: at least one is required');
  const messages = typeof obj.prompt === 'string' ? [{ role: 'user', content: obj.prompt }] : obj.prompt;
  const p = { id: randomUUID(), campaignId: c.id, messages, completions: obj.completions.map((x) => ({ id: randomUUID(), text: String(x.text) })) };
  prompts.push(p);
  return p;
}
function addTask(c, p, ids) { tasks.push({ id: randomUUID(), campaignId: c.id, promptId: p.id, completionIds: ids, judgments: [] }); }

// Demo seed, as `rlhf up --demo` describes it.
const demo = campaign({ name: 'Demo: helpful answers', overlap: 2, goldRatio: 0, leaseMinutes: 10,
  form: { criteria: ['helpfulness', 'honesty'], askStrength: true, askRationale: true, requireRationale: false, askCorrection: true },
  guidelines: '# Helpful answers\n\nPrefer the answer that **solves the problem** and is honest about uncertainty.\n\n- Penalise made-up facts.\n- Code must run.' });
demo.status = 'ACTIVE';
const topics = ['Explain recursion', 'How do I reverse a list in Python?', 'Is the Great Wall visible from space?', 'Write a SQL query for the top 3 salaries',
  'What causes tides?', 'Summarise the plot of Hamlet', 'How do vaccines work?', 'Convert 5 miles to km', 'Give me a haiku about autumn',
  'What is a closure in JavaScript?', 'Why is the sky blue?', 'How do I centre a div?', 'Explain TCP vs UDP', 'What is overfitting?'];
topics.forEach((t, i) => {
  const p = importLine(demo, { prompt: t, completions: [
    { text: `**Answer one** to _${t}_.\n\n\`\`\`python\ndef f(xs):\n    return xs[::-1]\n\`\`\`\n\nThis works for lists of any length.` },
    { text: `Answer two to ${t}. <script>alert("xss ${i}")</script> <img src=x onerror=alert(1)> [click](javascript:alert(1))\n\n1. first\n2. second` },
  ] });
  addTask(demo, p, p.completions.map((c) => c.id));
});
const rp = importLine(demo, { prompt: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Name a prime number.' }, { role: 'assistant', content: 'Which range?' }, { role: 'user', content: 'Under 10.' }],
  completions: ['7', '2, 3, 5 or 7.', 'Nine.', 'A prime under 10 is **5**.'].map((text) => ({ text })) });
addTask(demo, rp, rp.completions.map((c) => c.id));
tasks.splice(3, 0, tasks.pop()); // the ranking task comes up early

function nextFor(user, c) {
  const mine = [...leases.entries()].find(([, l]) => l.userId === user.id && l.campaignId === c.id && Date.parse(l.expiresAt) > Date.now());
  if (mine) return taskView(mine[0], mine[1]);
  const t = tasks.find((t) => t.campaignId === c.id && t.judgments.length < c.overlap && !t.judgments.some((j) => j.userId === user.id)
    && !(t.skippedBy ?? []).includes(user.id) && ![...leases.values()].some((l) => l.taskId === t.id && l.userId === user.id));
  if (!t) return null;
  const id = randomUUID();
  const lease = { taskId: t.id, userId: user.id, campaignId: c.id, expiresAt: new Date(Date.now() + c.leaseMinutes * 60000).toISOString() };
  leases.set(id, lease);
  return taskView(id, lease);
}
function taskView(id, lease) {
  const t = tasks.find((x) => x.id === lease.taskId);
  const c = campaigns.find((x) => x.id === t.campaignId);
  const p = prompts.find((x) => x.id === t.promptId);
  return { assignmentId: id, campaignId: c.id, campaignName: c.name, guidelineVersion: c.guidelines.length, expiresAt: lease.expiresAt,
    prompt: { messages: p.messages }, completions: t.completionIds.map((cid, i) => ({ label: 'ABCDEF'[i], text: p.completions.find((x) => x.id === cid).text })), form: c.form };
}

async function body(req) {
  const chunks = [];
  for await (const ch of req) chunks.push(ch);
  return Buffer.concat(chunks).toString('utf8');
}
function send(res, status, data, headers = {}) {
  if (status === 204) { res.writeHead(204, headers); return res.end(); }
  const isText = typeof data === 'string';
  res.writeHead(status, { 'Content-Type': isText ? 'application/x-ndjson' : status >= 400 ? 'application/problem+json' : 'application/json', ...headers });
  res.end(isText ? data : JSON.stringify(data));
}
const problem = (res, status, title, detail) => send(res, status, { type: 'about:blank', title, status, detail });

async function api(req, res, url) {
  const path = url.pathname;
  const m = (re) => path.match(re);
  const token = (req.headers.cookie ?? '').match(/rlhf_session=([^;]+)/)?.[1] ?? (req.headers.authorization ?? '').replace('Bearer ', '');
  const user = sessions.get(token);
  if (req.method === 'POST' && path === '/api/auth/login') {
    const { username, password } = JSON.parse((await body(req)) || '{}');
    const u = users.find((x) => x.username === username && x.password === password && x.enabled);
    if (!u) return problem(res, 401, 'Unauthorized', 'Wrong username or password.');
    const t = randomUUID();
    sessions.set(t, u);
    const { password: _, ...pub } = u;
    return send(res, 200, { token: t, user: pub }, { 'Set-Cookie': `rlhf_session=${t}; HttpOnly; Path=/; SameSite=Lax` });
  }
  if (!user) return problem(res, 401, 'Unauthorized', 'Log in first.');
  const pub = (u) => { const { password: _, ...x } = u; return x; };
  if (path === '/api/auth/me') return send(res, 200, pub(user));
  if (path === '/api/auth/logout') { sessions.delete(token); return send(res, 204, null, { 'Set-Cookie': 'rlhf_session=; Max-Age=0; Path=/' }); }

  if (path === '/api/rater/campaigns') {
    return send(res, 200, campaigns.filter((c) => c.status === 'ACTIVE').map((c) => {
      const judged = judgments.filter((j) => j.campaignId === c.id && j.userId === user.id).length;
      const remaining = tasks.filter((t) => t.campaignId === c.id && t.judgments.length < c.overlap && !t.judgments.some((j) => j.userId === user.id)).length;
      return { id: c.id, name: c.name, status: c.status, guidelineVersion: c.guidelines.length, judgedByMe: judged, remainingForMe: remaining };
    }));
  }
  let x;
  if ((x = m(/^\/api\/rater\/campaigns\/([^/]+)\/guidelines$/))) { const c = campaigns.find((c) => c.id === x[1]); return send(res, 200, c.guidelines.at(-1)); }
  if ((x = m(/^\/api\/rater\/campaigns\/([^/]+)\/next$/))) { const t = nextFor(user, campaigns.find((c) => c.id === x[1])); return t ? send(res, 200, t) : send(res, 204); }
  if ((x = m(/^\/api\/rater\/assignments\/([^/]+)\/judgment$/))) {
    const input = JSON.parse(await body(req));
    const prior = judgments.find((j) => j.idempotencyKey === input.idempotencyKey && j.userId === user.id);
    if (prior) return send(res, 200, { judgmentId: prior.id, assignmentId: x[1], submittedAt: prior.submittedAt, replayed: true });
    const lease = leases.get(x[1]);
    if (!lease) return problem(res, 409, 'Conflict', 'This assignment is no longer open.');
    const t = tasks.find((t) => t.id === lease.taskId);
    const j = { id: randomUUID(), campaignId: t.campaignId, taskId: t.id, userId: user.id, raterUsername: user.username, submittedAt: now(), ...input };
    judgments.push(j); t.judgments.push(j); leases.delete(x[1]);
    return send(res, 200, { judgmentId: j.id, assignmentId: x[1], submittedAt: j.submittedAt, replayed: false });
  }
  if ((x = m(/^\/api\/rater\/assignments\/([^/]+)\/(skip|release)$/))) {
    const lease = leases.get(x[1]);
    if (lease && x[2] === 'skip') { const t = tasks.find((t) => t.id === lease.taskId); (t.skippedBy ??= []).push(user.id); }
    leases.delete(x[1]);
    return send(res, 204);
  }

  if (path === '/api/campaigns' && req.method === 'GET') return send(res, 200, campaigns.map(view));
  if (path === '/api/campaigns' && req.method === 'POST') return send(res, 201, view(campaign(JSON.parse(await body(req)))));
  if ((x = m(/^\/api\/campaigns\/([^/]+)(\/.*)?$/))) {
    const c = campaigns.find((c) => c.id === x[1]);
    if (!c) return problem(res, 404, 'Not found', 'No such campaign.');
    const sub = x[2] ?? '';
    if (sub === '' && req.method === 'GET') return send(res, 200, view(c));
    if (sub === '' && req.method === 'PUT') { Object.assign(c, JSON.parse(await body(req))); return send(res, 200, view(c)); }
    if (sub === '' && req.method === 'DELETE') {
      if (tasks.some((t) => t.campaignId === c.id && t.judgments.length)) return problem(res, 409, 'Conflict', 'It has judgments, which are never deleted: close it instead.');
      campaigns.splice(campaigns.indexOf(c), 1);
      return send(res, 204);
    }
    if (sub === '/status') { c.status = JSON.parse(await body(req)).status; return send(res, 200, view(c)); }
    if (sub === '/guidelines' && req.method === 'GET') return send(res, 200, c.guidelines);
    if (sub === '/guidelines' && req.method === 'PUT') { const g = { version: c.guidelines.length + 1, markdown: JSON.parse(await body(req)).markdown, createdAt: now() }; c.guidelines.push(g); return send(res, 200, g); }
    if (sub === '/import') {
      const lines = (await body(req)).split('\n');
      const report = { lines: 0, importedPrompts: 0, importedCompletions: 0, errors: [] };
      lines.forEach((line, i) => {
        if (!line.trim()) return;
        report.lines++;
        try { const p = importLine(c, JSON.parse(line)); report.importedPrompts++; report.importedCompletions += p.completions.length; }
        catch (e) { report.errors.push({ line: i + 1, message: e instanceof SyntaxError ? 'not valid JSON: ' + e.message : e.message }); }
      });
      return send(res, 200, report);
    }
    if (sub === '/prompts') return send(res, 200, prompts.filter((p) => p.campaignId === c.id).map(({ campaignId, ...p }) => p));
    if (sub === '/tasks' && req.method === 'GET') {
      return send(res, 200, tasks.filter((t) => t.campaignId === c.id).map((t) => ({ id: t.id, promptId: t.promptId, completionIds: t.completionIds, gold: t.gold ?? null, judgments: t.judgments.length })));
    }
    if (sub === '/tasks' && req.method === 'POST') {
      const { completionIds, gold } = JSON.parse(await body(req));
      const p = prompts.find((p) => p.completions.some((x) => x.id === completionIds[0]));
      addTask(c, p, completionIds);
      tasks.at(-1).gold = gold;
      return send(res, 201, { id: tasks.at(-1).id, promptId: p.id, completionIds, gold, judgments: 0 });
    }
    if (sub === '/tasks/generate') {
      let created = 0;
      for (const p of prompts.filter((p) => p.campaignId === c.id && !tasks.some((t) => t.promptId === p.id))) {
        for (let a = 0; a < p.completions.length; a++) for (let b = a + 1; b < p.completions.length; b++) { addTask(c, p, [p.completions[a].id, p.completions[b].id]); created++; }
      }
      return send(res, 200, { created });
    }
    if (sub === '/export') {
      const mine = judgments.filter((j) => j.campaignId === c.id);
      if (url.searchParams.get('format') === 'full') return send(res, 200, mine.map((j) => JSON.stringify(j)).join('\n') + '\n');
      let ties = 0, bad = 0; const out = [];
      for (const j of mine) {
        const t = tasks.find((t) => t.id === j.taskId); const p = prompts.find((p) => p.id === t.promptId);
        const text = (cid) => p.completions.find((x) => x.id === cid).text;
        if (j.choice === 'TIE') { ties++; continue; } if (j.choice === 'BOTH_BAD') { bad++; continue; }
        if (j.choice) { const [a, b] = t.completionIds; const [w, l] = j.choice === 'A' ? [a, b] : [b, a]; out.push({ prompt: p.messages.at(-1).content, chosen: text(w), rejected: text(l), margin: j.strength ?? 1 }); }
      }
      return send(res, 200, out.map((o) => JSON.stringify(o)).join('\n') + '\n', { 'X-Exported-Pairs': String(out.length), 'X-Skipped-Ties': String(ties), 'X-Skipped-Both-Bad': String(bad) });
    }
    if (sub === '/stats') {
      const mine = judgments.filter((j) => j.campaignId === c.id);
      const raters = users.filter((u) => mine.some((j) => j.userId === u.id)).map((u) => ({ raterId: u.id, username: u.username, judgments: mine.filter((j) => j.userId === u.id).length, goldJudged: 2, goldCorrect: 1 + (u.username.length % 2), goldAccuracy: (1 + (u.username.length % 2)) / 2 }));
      const hour = new Date(); hour.setMinutes(0, 0, 0);
      return send(res, 200, { judgments: mine.length, flagged: mine.filter((j) => j.flags?.length).length, raters,
        pairwiseKappa: raters.length > 1 ? [{ raterA: raters[0].username, raterB: raters[1].username, sharedTasks: 3, kappa: 0.41 }] : [],
        krippendorffAlpha: mine.length ? 0.38 : null,
        throughputPerHour: [2, 1, 0].map((h) => ({ hour: new Date(hour - h * 3600000).toISOString(), judgments: h === 0 ? mine.length : 3 + h })) });
    }
    if (sub === '/judgments') return send(res, 200, judgments.filter((j) => j.campaignId === c.id && (url.searchParams.get('flagged') !== 'true' || j.flags?.length)));
  }
  if (path === '/api/users' && req.method === 'GET') return send(res, 200, users.map(pub));
  if (path === '/api/users' && req.method === 'POST') { const u = { id: randomUUID(), enabled: true, roles: [], ...JSON.parse(await body(req)) }; users.push(u); return send(res, 201, pub(u)); }
  if ((x = m(/^\/api\/users\/([^/]+)$/))) {
    const u = users.find((u) => u.id === x[1]);
    if (req.method === 'DELETE') { u.enabled = false; return send(res, 204); }
    if (req.method === 'PUT') Object.assign(u, JSON.parse(await body(req)));
    return send(res, 200, pub(u));
  }
  return problem(res, 404, 'Not found', `${req.method} ${path}`);
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  try {
    if (url.pathname.startsWith('/api/')) return await api(req, res, url);
    if (url.pathname === '/q/health') return send(res, 200, { status: 'UP' });
    const file = normalize(join(dist, url.pathname === '/' ? 'index.html' : url.pathname));
    if (!file.startsWith(dist)) return problem(res, 404, 'Not found');
    const data = await readFile(file);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(data);
  } catch (e) {
    if (e.code === 'ENOENT') return problem(res, 404, 'Not found');
    problem(res, 500, 'Server error', String(e.message));
  }
}).listen(port, '127.0.0.1', () => console.log(`mock backend on http://127.0.0.1:${port}`));
