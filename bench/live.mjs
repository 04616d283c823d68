// The live socket under fan-out (bench/live.sh runs it; Node 20 with --experimental-websocket, or Node 22+).
// Opens SOCKETS WebSockets to one node, each authenticated by an auth frame with the same clinician's token and
// subscribed to that clinician's waiting room; writes $MARKER once every socket shows its first state, and waits
// for $GO (the shell measures the node's memory meanwhile). Then, for each session in SESSIONS, cancels it over REST
// and times, for every socket, the arrival of the waiting-room push that follows: from just before the POST (an
// upper bound on commit-to-arrival, the POST's own time included) and from its answer (after the commit).
import { existsSync, writeFileSync } from 'node:fs';

const base = process.env.BASE;
const sockets = Number(process.env.SOCKETS ?? 1000);
const token = process.env.DOCTOR_TOKEN;
const desk = process.env.DESK_TOKEN;
const practitioner = process.env.PRACTITIONER_ID;
const sessions = (process.env.SESSIONS ?? '').split(/\s+/).filter(Boolean);
const wsUrl = base.replace(/^http/, 'ws') + '/v1/live';
const sleep = ms => new Promise(r => setTimeout(r, ms));

const clients = [];
const errors = {};
let waiters = [];
function open(i) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl);
    const c = { ws, pushes: 0, last: 0 };
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
    ws.onmessage = ev => {
      const f = JSON.parse(ev.data);
      if (f.type === 'ready') {
        ws.send(JSON.stringify({ type: 'subscribe', id: 'room', topic: 'waiting-room', practitionerId: practitioner }));
      } else if (f.type === 'waiting_room') {
        c.pushes++;
        c.last = performance.now();
        if (c.pushes === 1) resolve(c);
        waiters.forEach(w => w(c));
      } else if (f.type === 'error') {
        errors[f.code] = (errors[f.code] ?? 0) + 1;
        if (c.pushes === 0) reject(new Error(`socket ${i}: ${f.code} ${f.detail}`));
      }
    };
    ws.onerror = () => reject(new Error(`socket ${i} failed`));
    ws.onclose = ev => { c.closed = ev.code; };
  });
}

const began = performance.now();
for (let i = 0; i < sockets; i += 50) {
  const batch = [];
  for (let j = i; j < Math.min(sockets, i + 50); j++) batch.push(open(j));
  clients.push(...await Promise.all(batch));
}
console.log(`${clients.length} sockets subscribed in ${Math.round(performance.now() - began)} ms`);
writeFileSync(process.env.MARKER, 'connected\n');
while (!existsSync(process.env.GO)) await sleep(100);

const fromSend = [];
const fromAnswer = [];
let post = [];
for (const session of sessions) {
  await sleep(300); // the previous fan-out has settled
  const before = clients.map(c => c.pushes);
  const arrived = new Promise(resolve => {
    let left = clients.length;
    waiters = [c => { if (c.pushes === before[clients.indexOf(c)] + 1 && --left === 0) resolve(); }];
  });
  const t0 = performance.now();
  const r = await fetch(`${base}/v1/telehealth/sessions/${session}/cancel`, {
    method: 'POST', headers: { Authorization: `Bearer ${desk}` } });
  const t1 = performance.now();
  if (r.status !== 200) throw new Error(`cancel answered ${r.status}`);
  post.push(t1 - t0);
  await Promise.race([arrived, sleep(30000)]);
  waiters = [];
  clients.forEach((c, i) => {
    if (c.pushes > before[i]) { fromSend.push(c.last - t0); fromAnswer.push(c.last - t1); }
  });
}
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)]; };
const f = x => x === undefined ? 'n/a' : x.toFixed(1);
console.log(`changes: ${sessions.length}, pushes received: ${fromSend.length} of ${sessions.length * clients.length}`);
console.log(`error frames: ${JSON.stringify(errors)}`);
console.log(`POST cancel: p50 ${f(pct(post, 50))} ms, max ${f(Math.max(...post))} ms`);
console.log(`from before the POST to arrival: p50 ${f(pct(fromSend, 50))} ms, p99 ${f(pct(fromSend, 99))} ms, max ${f(Math.max(...fromSend))} ms`);
console.log(`from the POST's answer (committed) to arrival: p50 ${f(pct(fromAnswer, 50))} ms, p99 ${f(pct(fromAnswer, 99))} ms`);
clients.forEach(c => c.ws.close());
await sleep(500);
process.exit(0);
