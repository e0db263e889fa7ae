// The case page's what-if and decision forms call the JSON API with the sign-in cookie.
(function () {
  function fmt(value, digits) {
    if (value === null || value === undefined) return "–";
    return Number(value).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    return { ok: response.ok, data };
  }
  function detail(data) {
    if (Array.isArray(data.detail)) return data.detail.map((d) => (d.loc || []).slice(-1) + ": " + d.msg).join("; ");
    return data.detail || "error";
  }
  const whatif = document.getElementById("whatif");
  if (whatif) {
    whatif.addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = new FormData(whatif);
      const body = {
        annual_rate: Number(form.get("annual_rate")), tenor_months: Number(form.get("tenor_months")),
        grace_months: Number(form.get("grace_months")), haircut: Number(form.get("haircut")),
      };
      const out = document.getElementById("whatif-result");
      const { ok, data } = await post(`/cases/${whatif.dataset.case}/simulate`, body);
      if (!ok) { out.textContent = detail(data); return; }
      const n = data.numbers;
      const rows = [
        ["installment_after", fmt(n.installment_after, 0)], ["dscr_before", fmt(n.dscr_before, 2)],
        ["dscr_after", fmt(n.dscr_after, 2)], ["creditor_npv", fmt(n.creditor_npv, 0)],
        ["liquidation_value", fmt(n.liquidation_value, 0)],
        ["feasibility", data.feasibility === null ? "–" : (100 * data.feasibility).toFixed(1) + "%"],
      ];
      out.innerHTML = rows.map(([k, v]) => `<dt>${k.replace(/_/g, " ")}</dt><dd data-key="${k}">${v}</dd>`).join("");
    });
  }
  // Case work: forms and buttons that call the API and show the page again with the change.
  const result = document.querySelector("[data-testid=casework-result]");
  async function send(url, body) {
    const { ok, data } = await post(url, body);
    if (ok) { window.location.reload(); return; }
    if (result) { result.textContent = detail(data); result.className = "error"; }
  }
  document.querySelectorAll("form.api").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = Object.fromEntries([...new FormData(form).entries()].filter(([, v]) => v !== ""));
      if (body.amount !== undefined) body.amount = Number(body.amount);
      send(form.dataset.api, body);
    });
  });
  document.querySelectorAll("button.api[data-post]").forEach((button) => {
    button.addEventListener("click", () => send(button.dataset.post, JSON.parse(button.dataset.body || "{}")));
  });
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  const decision = document.getElementById("decision");
  if (decision) {
    decision.addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = new FormData(decision);
      const body = { path: form.get("path"), reason: form.get("reason") || null };
      const out = document.getElementById("decision-result");
      const { ok, data } = await post(`/cases/${decision.dataset.case}/decision`, body);
      out.textContent = ok ? `${out.dataset.saved} #${data.id}` : detail(data);
      out.className = ok ? "" : "error";
    });
  }
})();
