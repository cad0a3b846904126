// The operator console: plain JavaScript over the admin API (GET /admin/status, /admin/messages,
// /admin/messages/{id}; POST /admin/replay). The bearer token stays in this tab (sessionStorage) and goes only into
// the Authorization header; a token given in the address as #token=... is taken and removed from the address.
// Every value from the server is inserted as text, never as HTML.
(function () {
  'use strict';

  var STATES = ['RECEIVED', 'PARSED', 'DIAGNOSED', 'DELIVERED', 'FAILED', 'DEAD'];
  var token = sessionStorage.getItem('tamer-token') || '';
  var selected = new Set();
  var rows = new Map();
  var openId = null;
  var nextBefore = null;
  var timer = null;

  function $(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function notice(text, ok) {
    var n = $('notice');
    n.textContent = text || '';
    n.className = ok ? 'ok' : '';
  }

  function api(method, path) {
    var headers = { 'Accept': 'application/json' };
    if (token) { headers.Authorization = 'Bearer ' + token; }
    return fetch(path, { method: method, headers: headers, cache: 'no-store' }).then(function (r) {
      return r.text().then(function (body) {
        var json = null;
        try { json = body ? JSON.parse(body) : null; } catch (e) { json = null; }
        if (!r.ok) {
          var why = json && json.issue && json.issue[0] && json.issue[0].diagnostics ? json.issue[0].diagnostics
            : body.slice(0, 200);
          var error = new Error(r.status + ': ' + why);
          error.status = r.status;
          throw error;
        }
        return json;
      });
    });
  }

  function shortTime(iso) {
    if (!iso) { return '-'; }
    return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  function stateBadge(state) {
    return el('span', state, 'state ' + String(state).split(' ')[0].replace(/\s+/g, '-'));
  }

  function filterQuery(before) {
    var q = new URLSearchParams();
    if ($('filter-state').value) { q.set('state', $('filter-state').value); }
    if ($('filter-channel').value) { q.set('channel', $('filter-channel').value); }
    if ($('filter-since').value) {
      q.set('since', new Date(Date.now() - 1000 * Number($('filter-since').value)).toISOString());
    }
    if ($('filter-reason').value.trim()) { q.set('reason', $('filter-reason').value.trim()); }
    if (before) { q.set('before', before); }
    q.set('limit', '100');
    return q.toString();
  }

  function loadStatus() {
    return api('GET', '/admin/status').then(function (s) {
      $('model-name').textContent = s.model.name;
      $('model-version').textContent = s.model.version;
      $('model-sha').textContent = s.model.parametersSha256;
      $('model-revision').textContent = s.model.revision;
      $('engine').textContent = s.engine;
      var cal = $('calibration').tBodies[0];
      cal.replaceChildren();
      s.model.classes.forEach(function (c) {
        var tr = el('tr');
        tr.appendChild(el('td', c.code + ' - ' + c.display));
        tr.appendChild(el('td', c.calibrated ? c.temperature.toFixed(4) : 'identity'));
        tr.appendChild(el('td', c.calibrated ? c.bias.toFixed(4) : '-'));
        cal.appendChild(tr);
      });
      $('received-rate').textContent = s.throughput.receivedPerMinute.toFixed(0);
      $('delivered-rate').textContent = s.throughput.deliveredPerMinute.toFixed(0);
      $('model-queue').textContent = s.modelQueue.depth + ' / ' + s.modelQueue.capacity;
      var tiles = $('state-tiles');
      tiles.replaceChildren();
      STATES.forEach(function (state) {
        var tile = el('div', null, 'tile clickable');
        tile.id = 'count-' + state;
        tile.appendChild(el('span', s.messagesByState[state] || 0, 'value'));
        tile.appendChild(stateBadge(state));
        tile.addEventListener('click', function () {
          $('filter-state').value = state;
          refresh(true);
        });
        tiles.appendChild(tile);
      });
    });
  }

  function renderRow(m) {
    var tr = el('tr');
    tr.dataset.id = m.id;
    tr.dataset.state = m.state;
    var box = el('input');
    box.type = 'checkbox';
    box.className = 'pick';
    box.checked = selected.has(m.id);
    box.setAttribute('aria-label', 'select message ' + m.id);
    box.addEventListener('click', function (e) {
      e.stopPropagation();
      if (box.checked) { selected.add(m.id); } else { selected.delete(m.id); }
      updateSelection();
    });
    var td = el('td');
    td.appendChild(box);
    tr.appendChild(td);
    tr.appendChild(el('td', m.id));
    tr.appendChild(el('td', shortTime(m.receivedAt), 'mono'));
    tr.appendChild(el('td', m.channel));
    tr.appendChild(el('td', m.controlId, 'mono'));
    var st = el('td');
    st.appendChild(stateBadge(m.state));
    tr.appendChild(st);
    tr.appendChild(el('td', m.attempts));
    tr.appendChild(el('td', m.failureReason || '', 'reason'));
    tr.addEventListener('click', function () { openDetail(m.id); });
    if (selected.has(m.id)) { tr.classList.add('selected'); }
    return tr;
  }

  function loadMessages(append) {
    return api('GET', '/admin/messages?' + filterQuery(append ? nextBefore : null)).then(function (page) {
      var body = $('messages').tBodies[0];
      if (!append) {
        body.replaceChildren();
        rows.clear();
      }
      page.messages.forEach(function (m) {
        rows.set(m.id, m);
        body.appendChild(renderRow(m));
      });
      if (!append && page.messages.length === 0) {
        var tr = el('tr');
        var td = el('td', 'No messages match these filters.', 'hidden-note');
        td.colSpan = 8;
        tr.appendChild(td);
        body.appendChild(tr);
      }
      nextBefore = page.next;
      $('more').hidden = !page.next;
      selected.forEach(function (id) { if (!rows.has(id)) { selected.delete(id); } });
      updateSelection();
    });
  }

  function updateSelection() {
    var replayable = Array.from(selected).filter(function (id) {
      var m = rows.get(id);
      return m && (m.state === 'FAILED' || m.state === 'DEAD');
    });
    $('replay-selected').disabled = replayable.length === 0;
    $('selection-count').textContent = selected.size ? selected.size + ' selected, ' + replayable.length
      + ' FAILED or DEAD (replayable)' : '';
    Array.from($('messages').tBodies[0].rows).forEach(function (tr) {
      tr.classList.toggle('selected', selected.has(Number(tr.dataset.id)));
    });
  }

  function replay(ids) {
    var q = new URLSearchParams();
    ids.forEach(function (id) { q.append('id', id); });
    return api('POST', '/admin/replay?' + q.toString()).then(function (r) {
      notice('Replayed ' + r.replayed + ' of ' + ids.length + ' message(s): back to work.', true);
      ids.forEach(function (id) { selected.delete(id); });
      return refresh(false);
    }).catch(function (e) {
      notice(e.status === 403 ? 'Replay needs a token with tamer/admin (' + e.message + ')' : 'Replay failed: '
        + e.message);
    });
  }

  function field(dl, name, value) {
    dl.appendChild(el('dt', name));
    dl.appendChild(el('dd', value === null || value === undefined ? '-' : value));
  }

  function renderResult(box, d) {
    box.replaceChildren();
    if (d.clinicalContent !== 'shown') {
      box.appendChild(el('p', 'Result ' + d.clinicalContent, 'hidden-note'));
      return;
    }
    if (!d.result) {
      box.appendChild(el('p', 'No result (yet).', 'hidden-note'));
      return;
    }
    var r = d.result;
    var dl = el('dl');
    field(dl, 'interpretation', r.interpretation + ' (' + r.status + ')');
    field(dl, 'findings', r.findings.length ? r.findings.join('; ') : '-');
    if (r.model) {
      field(dl, 'model', r.model.name + ' ' + r.model.version + ' (' + r.model.parametersSha256.slice(0, 12) + ')');
    }
    box.appendChild(dl);
    var table = el('table');
    table.id = 'detail-probabilities';
    r.probabilities.forEach(function (p) {
      var tr = el('tr');
      tr.appendChild(el('td', p.code, 'mono'));
      tr.appendChild(el('td', p.display));
      var bar = el('td');
      var b = el('span', null, 'bar');
      b.style.width = Math.round(200 * p.probability) + 'px';
      bar.appendChild(b);
      bar.appendChild(document.createTextNode(' ' + (100 * p.probability).toFixed(1) + ' %'));
      tr.appendChild(bar);
      table.appendChild(tr);
    });
    box.appendChild(table);
  }

  function openDetail(id) {
    openId = id;
    return api('GET', '/admin/messages/' + id).then(function (d) {
      $('detail').hidden = false;
      $('detail-id').textContent = d.id + ' (' + d.channel + ' ' + d.controlId + ')';
      var badge = $('detail-state');
      badge.textContent = d.state;
      badge.className = 'state ' + d.state;
      $('replay-one').hidden = !(d.state === 'FAILED' || d.state === 'DEAD');
      var dl = $('detail-fields');
      dl.replaceChildren();
      field(dl, 'received', shortTime(d.receivedAt) + (d.remoteAddress ? ' from ' + d.remoteAddress : ''));
      field(dl, 'last change', shortTime(d.updatedAt));
      field(dl, 'attempts', d.attempts);
      field(dl, 'failure reason', d.failureReason);
      if (d.nextAttemptAt) { field(dl, 'next attempt', shortTime(d.nextAttemptAt)); }
      field(dl, 'diagnosed', shortTime(d.diagnosedAt));
      field(dl, 'delivered', shortTime(d.deliveredAt));
      if (d.lease) { field(dl, 'leased by', d.lease.owner + ' until ' + shortTime(d.lease.until)); }
      if (d.clinicalContent === 'shown') { field(dl, 'ECG record id', d.recordId); }
      $('detail-ack').textContent = d.ack || '(none: not an HL7 v2 message, or no ACK stored)';
      var tl = $('detail-timeline');
      tl.replaceChildren();
      d.timeline.forEach(function (e) {
        var li = el('li');
        var t = el('time', shortTime(e.at));
        t.dateTime = e.at;
        li.appendChild(t);
        li.appendChild(stateBadge(e.state));
        li.appendChild(document.createTextNode(' ' + e.detail));
        tl.appendChild(li);
      });
      var dv = $('detail-deliveries').tBodies[0];
      dv.replaceChildren();
      if (d.deliveries.length === 0) {
        var tr0 = el('tr');
        var td0 = el('td', 'none yet (results served from the gateway\'s own /fhir need no delivery)', 'hidden-note');
        td0.colSpan = 3;
        tr0.appendChild(td0);
        dv.appendChild(tr0);
      }
      d.deliveries.forEach(function (a) {
        var tr = el('tr');
        tr.appendChild(el('td', shortTime(a.at), 'mono'));
        tr.appendChild(el('td', a.destination));
        var o = el('td');
        o.appendChild(stateBadge(a.outcome === 'success' ? 'SENT' : 'SEND-FAILED'));
        tr.appendChild(o);
        dv.appendChild(tr);
      });
      renderResult($('detail-result'), d);
    }).catch(showError);
  }

  function showError(e) {
    if (e.status === 401) {
      notice('The gateway refused the token (' + e.message + '); it wants a valid bearer token with '
        + 'tamer/operations: bin/tamer-token --scope tamer/operations');
    } else if (e.status === 403) {
      notice('This token may not do that: ' + e.message);
    } else {
      notice('Error: ' + e.message);
    }
  }

  function refresh(resetPage) {
    if (resetPage) { nextBefore = null; }
    return Promise.all([loadStatus(), loadMessages(false)]).then(function () {
      if (openId !== null && !$('detail').hidden) { return openDetail(openId); }
      return null;
    }).then(function () {
      document.body.dataset.loaded = String(Date.now());
    }).catch(showError);
  }

  function schedule() {
    if (timer) { clearInterval(timer); }
    timer = $('auto-refresh').checked ? setInterval(function () { refresh(false); }, 5000) : null;
  }

  function takeTokenFromAddress() {
    var m = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
    if (m) {
      token = decodeURIComponent(m[1]);
      sessionStorage.setItem('tamer-token', token);
      history.replaceState(null, '', location.pathname + location.search);
    }
    return m !== null;
  }

  $('token-form').addEventListener('submit', function (e) {
    e.preventDefault();
    token = $('token').value.trim();
    $('token').value = '';
    sessionStorage.setItem('tamer-token', token);
    notice('Token set for this tab.', true);
    refresh(true);
  });
  $('filters').addEventListener('submit', function (e) {
    e.preventDefault();
    refresh(true);
  });
  ['filter-state', 'filter-channel', 'filter-since'].forEach(function (id) {
    $(id).addEventListener('change', function () { refresh(true); });
  });
  // an address with a new #token=... opened in a tab that shows the console already changes only the fragment
  window.addEventListener('hashchange', function () {
    if (takeTokenFromAddress()) {
      notice('Token set for this tab.', true);
      refresh(true);
    }
  });
  $('auto-refresh').addEventListener('change', schedule);
  $('more').addEventListener('click', function () { loadMessages(true).catch(showError); });
  $('select-all').addEventListener('change', function () {
    var on = $('select-all').checked;
    rows.forEach(function (m, id) { if (on) { selected.add(id); } else { selected.delete(id); } });
    Array.from(document.querySelectorAll('#messages .pick')).forEach(function (b) { b.checked = on; });
    updateSelection();
  });
  $('replay-selected').addEventListener('click', function () {
    var ids = Array.from(selected).filter(function (id) {
      var m = rows.get(id);
      return m && (m.state === 'FAILED' || m.state === 'DEAD');
    });
    replay(ids);
  });
  $('replay-one').addEventListener('click', function () { replay([openId]); });
  $('close-detail').addEventListener('click', function () {
    $('detail').hidden = true;
    openId = null;
  });

  takeTokenFromAddress();
  if (!token) {
    notice('Paste a bearer token with tamer/operations (bin/tamer-token --scope "tamer/operations tamer/admin '
      + 'system/Observation.read" on a development machine).');
  }
  refresh(true);
  schedule();
}());
