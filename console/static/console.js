// The clinic console's page: numbers from /console/api/stats drawn with Chart.js.
"use strict";
(function () {
  let csrf = "";
  const charts = {};
  const $ = (id) => document.getElementById(id);
  const pad = (n) => String(n).padStart(2, "0");
  const iso = (d) => d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());  // local date

  async function api(path, options) {
    const response = await fetch(path, Object.assign({ credentials: "same-origin" }, options || {}));
    if (response.status === 401) { window.location.reload(); throw new Error("signed out"); }
    if (!response.ok) throw new Error(path + ": " + response.status);
    return response.json();
  }

  function draw(id, type, labels, datasets, extra) {
    if (charts[id]) charts[id].destroy();
    charts[id] = new Chart($(id), Object.assign({
      type: type,
      data: { labels: labels, datasets: datasets },
      options: { animation: false, responsive: true, scales: type === "doughnut" ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    }, extra || {}));
  }

  function range() { return "from=" + encodeURIComponent($("from").value) + "&to=" + encodeURIComponent($("to").value); }

  async function load() {
    const s = await api("/console/api/stats?" + range());
    $("n-conversations").textContent = s.conversations;
    $("n-finished").textContent = s.finished;
    ["emergency", "urgent", "routine"].forEach((l) => { $("n-" + l).textContent = s.by_level[l]; });
    ["yes", "partly", "no"].forEach((a) => { $("n-" + a).textContent = s.feedback[a]; });
    const days = s.per_day.map((d) => d.date);
    draw("chart-days", "bar", days, [
      { label: "Conversations", data: s.per_day.map((d) => d.conversations) },
      { label: "Finished the questions", data: s.per_day.map((d) => d.finished) },
    ]);
    draw("chart-levels", "bar", days, ["emergency", "urgent", "routine"].map((l) => ({ label: l, data: s.per_day.map((d) => d[l]) })),
      { options: { animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } } });
    draw("chart-dropoff", "bar", s.dropoff.map((q) => q.question.replace(/_/g, " ")), [{ label: "Stopped here", data: s.dropoff.map((q) => q.stopped) }]);
    draw("chart-flags", "line", days, s.red_flags.map((f) => ({ label: f.name, data: days.map((d) => f.per_day[d] || 0) })));
    draw("chart-causes", "bar", s.causes.map((c) => c.name), [{ label: "Conversations", data: s.causes.map((c) => c.count) }]);
    draw("chart-topics", "bar", s.topics.map((t) => t.topic.replace(/_/g, " ")), [{ label: "Conversations", data: s.topics.map((t) => t.count) }]);
    draw("chart-feedback", "doughnut", ["Yes", "Partly", "No"], [{ data: [s.feedback.yes, s.feedback.partly, s.feedback.no] }]);
    $("export").href = "/console/api/export.csv?" + range();
    document.body.dataset.loaded = s.from + ".." + s.to;
  }

  function cell(row, text) { const td = document.createElement("td"); td.textContent = text; row.appendChild(td); return td; }

  async function loadConversations() {
    const data = await api("/console/api/conversations?" + range());
    const body = $("conversation-rows");
    body.replaceChildren();
    data.conversations.forEach((c) => {
      const row = document.createElement("tr");
      [c.started, c.level, c.finished ? "yes" : "no", String(c.messages)].forEach((t) => cell(row, t));
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = "Open transcript";
      button.dataset.conversation = c.id;
      button.addEventListener("click", () => openTranscript(c.id));
      cell(row, "").appendChild(button);
      body.appendChild(row);
    });
  }

  async function openTranscript(id) {
    const data = await api("/console/api/transcript/" + encodeURIComponent(id));
    const box = $("transcript");
    box.replaceChildren();
    const heading = document.createElement("h3");
    heading.textContent = "Conversation " + id + " (redacted)";
    box.appendChild(heading);
    data.messages.forEach((m) => {
      const p = document.createElement("p");
      p.className = m.who;
      p.textContent = m.at + " " + m.who + ": " + m.text;
      box.appendChild(p);
    });
    if (!$("audit").hidden) await loadAudit();
  }

  async function loadAudit() {
    const data = await api("/console/api/audit");
    const body = $("audit-rows");
    body.replaceChildren();
    data.audit.forEach((a) => {
      const row = document.createElement("tr");
      [new Date(a.at * 1000).toISOString().slice(0, 19).replace("T", " "), a.who, a.conversation].forEach((t) => cell(row, t));
      body.appendChild(row);
    });
  }

  async function refresh() {
    await load();
    if (!$("transcripts").hidden) await loadConversations();
    if (!$("audit").hidden) await loadAudit();
  }

  async function start() {
    const me = await api("/console/api/me");
    csrf = me.csrf;
    $("who").textContent = me.user + " (" + me.role + ")";
    const today = new Date();
    $("to").value = iso(today);
    $("from").value = iso(new Date(today.getTime() - 29 * 86400000));
    $("transcripts").hidden = !(me.role === "clinician" || me.role === "admin");
    $("audit").hidden = me.role !== "admin";
    $("range").addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
    $("logout").addEventListener("click", async () => {
      await fetch("/console/api/logout", { method: "POST", headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" });
      window.location.reload();
    });
    await refresh();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
