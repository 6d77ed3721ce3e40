// The status page: fetches /api/status every few seconds and fills the page. Every value from
// the relay goes in through textContent, never parsed as markup: domains, addresses and reasons are
// remote input.
'use strict';
(() => {
  const REFRESH_MS = 5000;
  const TOKEN_KEY = 'relay-admin-token';
  const byId = (id) => document.getElementById(id);
  let timer = null;

  // #token=... lets a link or script open the page with the token; the fragment never reaches
  // a server or a log, and is removed from the address bar at once.
  function takeTokenFromFragment() {
    const match = /^#token=(.+)$/.exec(location.hash);
    if (match) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
  }

  function age(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    if (s < 60) return s + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm ' + String(s % 60).padStart(2, '0') + 's';
    if (s < 86400) return Math.floor(s / 3600) + 'h ' + String(Math.floor(s % 3600 / 60)).padStart(2, '0') + 'm';
    return Math.floor(s / 86400) + 'd ' + String(Math.floor(s % 86400 / 3600)).padStart(2, '0') + 'h';
  }

  function size(bytes) {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return (unit === 0 ? value : value.toFixed(1)) + ' ' + units[unit];
  }

  function time(iso) {
    return iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : '';
  }

  function secondsBetween(fromIso, toIso) {
    return (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
  }

  function setText(id, value) {
    byId(id).textContent = String(value);
  }

  // rows: the data; columns: [text function, optional class function] per cell
  function fillTable(id, rows, columns) {
    const body = byId(id).tBodies[0];
    body.replaceChildren();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const [text, className] of columns) {
        const td = tr.insertCell();
        td.textContent = text(row);
        if (className) td.className = className(row);
      }
    }
    byId(id).hidden = rows.length === 0;
    byId(id + '-empty').hidden = rows.length !== 0;
  }

  function lastReason(message) {
    const open = message.recipients.find((r) => r.last_reason && r.state !== 'delivered');
    return open ? open.last_reason : '';
  }

  function render(report) {
    setText('hostname', report.hostname);
    setText('updated', 'updated ' + time(report.now));
    const q = report.queue;
    setText('queue-total', q.total);
    setText('queue-active', q.active);
    setText('queue-deferred', q.deferred);
    setText('queue-held', q.held);
    setText('queue-oldest', q.oldest_age_seconds === undefined ? '–' : age(q.oldest_age_seconds));
    setText('queue-bytes', size(q.bytes));
    // while the spool found at start is still read, the numbers above count only what is read so far
    byId('queue-recovering').hidden = q.recovering === undefined;
    setText('queue-recovering', q.recovering === undefined ? '' : q.recovering);
    const d = report.deliveries_last_hour;
    setText('deliveries-delivered', d.delivered);
    setText('deliveries-bounced', d.bounced);
    setText('deliveries-expired', d.expired);
    setText('deliveries-deferred', d.deferred);
    const requireTls = report.require_tls_since_start || {};
    for (const outcome of ['accepted', 'delivered', 'deferred', 'refused', 'failed']) {
      setText('requiretls-' + outcome, requireTls[outcome] || 0);
    }
    const dnssec = report.dnssec;
    setText('dnssec', 'delivery.dns.dnssec: ' + dnssec.mode + '; '
        + (dnssec.state === dnssec.mode ? '' : dnssec.state + ': ') + dnssec.detail);
    byId('dnssec').className = 'dnssec-' + dnssec.state + (dnssec.state === 'broken' ? ' problem' : '');
    fillTable('oldest', report.oldest, [
      [(m) => m.id],
      [(m) => age(m.age_seconds)],
      [(m) => m.state, (m) => 'state-' + m.state],
      [(m) => m.sender === '' ? '<>' : m.sender],
      [(m) => m.recipients.map((r) => r.address + ' (' + r.state + ')').join(', ')],
      [lastReason],
    ]);
    fillTable('policies', report.policies, [
      [(p) => p.domain],
      [(p) => p.mode || 'none cached', (p) => 'mode-' + (p.mode || 'absent')],
      [(p) => p.expires ? time(p.expires) + ' (in ' + age(secondsBetween(report.now, p.expires)) + ')' : ''],
      [(p) => p.last_fetch ? time(p.last_fetch) : 'not since start'],
      [(p) => p.last_fetch_result ? p.last_fetch_result + (p.last_fetch_detail ? ': ' + p.last_fetch_detail : '') : '',
        (p) => !p.last_fetch_result || p.last_fetch_result === 'ok' ? '' : 'result-failed'],
    ]);
    fillTable('failures', report.enforcement_failures, [
      [(f) => time(f.at)],
      [(f) => f.domain],
      [(f) => f.mx],
      [(f) => f.reason],
    ]);
    fillTable('tls-reports', report.tls_reports || [], [
      [(r) => r.day],
      [(r) => r.domain],
      [(r) => r.destination || '–'],
      [(r) => r.result, (r) => 'tlsrpt-' + r.result],
      [(r) => r.detail],
      [(r) => time(r.at)],
    ]);
    fillTable('stale', report.stale_policies, [
      [(s) => time(s.at)],
      [(s) => s.domain],
      [(s) => s.id],
      [(s) => s.what],
    ]);
    fillTable('overrides', report.tls_policy_overrides, [
      [(o) => o.domain],
      [(o) => o.kind + ' (mode ' + o.mode + (o.mx.length ? ', mx ' + o.mx.join(', ') : '') + ')'],
      [(o) => o.source],
      [(o) => o.remaining ? o.remaining + ' (until ' + time(o.until) + ')' : 'no end'],
      [(o) => o.set_by || ''],
      [(o) => o.reason],
    ]);
    byId('problem').hidden = true;
    byId('login').hidden = true;
    byId('status').hidden = false;
  }

  function showProblem(text) {
    setText('problem', text);
    byId('problem').hidden = false;
  }

  function askForToken(refused) {
    byId('status').hidden = true;
    byId('login').hidden = false;
    setText('updated', '');
    if (refused) showProblem('The admin token was refused.');
  }

  async function refresh() {
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    let response;
    try {
      response = await fetch('/api/status', { headers, cache: 'no-store', credentials: 'omit' });
    } catch (e) {
      showProblem('Cannot reach the relay: ' + e.message + '. Retrying.');
      return;
    }
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      askForToken(token !== null);
      return;
    }
    if (!response.ok) {
      showProblem('The relay answered ' + response.status + '. Retrying.');
      return;
    }
    render(await response.json());
  }

  function schedule() {
    if (timer === null) timer = setInterval(refresh, REFRESH_MS);
  }

  byId('login').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, byId('token').value);
    byId('token').value = '';
    byId('problem').hidden = true;
    refresh();
  });

  takeTokenFromFragment();
  refresh();
  schedule();
})();
