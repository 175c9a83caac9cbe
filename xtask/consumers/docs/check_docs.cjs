// The docs page in headless Chromium: `/docs` on a running server must
// render every operation of the server's own document with its parameters
// and the component schemas, its "try it" must send a request to that
// server with the bearer token and the brand typed into the page and show
// the answer, and no request may leave the loopback address.
//
// node check_docs.cjs BASE_URL CHROMIUM SCREENSHOT TOKEN BRAND AMBASSADOR
// (puppeteer-core is found through NODE_PATH; `cargo xtask contract` sets it)

const puppeteer = require("puppeteer-core");

const [base, chromium, screenshot, token, brand, ambassador] = process.argv.slice(2);
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};
const loopback = (url) => {
  if (url.startsWith("data:") || url.startsWith("blob:")) return true;
  const host = new URL(url).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
};
const cssString = (s) => JSON.stringify(s);

async function main() {
  const documentUrl = `${base}/api/v2/openapi.json`;
  const doc = await (await fetch(documentUrl)).json();
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    // --no-sandbox: CI runs as root; the rest keeps Chromium's own
    // background traffic (updates, sync, safe browsing) off.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps"],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1000 });
    const left = [];
    const sent = [];
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      if (!loopback(request.url())) {
        left.push(request.url());
        return request.abort();
      }
      if (request.url().startsWith(`${base}/api/v2/`) && request.url() !== documentUrl) sent.push(request);
      return request.continue();
    });
    await page.goto(`${base}/docs/`, { waitUntil: "networkidle0", timeout: 60000 });

    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!["get", "put", "post", "delete", "patch", "head", "options"].includes(method)) continue;
        const block = `.opblock-${method}:has(.opblock-summary-path[data-path=${cssString(path)}])`;
        check(!!(await page.$(block)), `operation ${method.toUpperCase()} ${path} rendered`);
        for (const parameter of operation.parameters || []) {
          const p = parameter.$ref ? doc.components.parameters[parameter.$ref.split("/").pop()] : parameter;
          const row = `${block} tr[data-param-name=${cssString(p.name)}][data-param-in=${cssString(p.in)}]`;
          check(!!(await page.$(row)), `  parameter ${p.in} ${p.name} rendered`);
        }
      }
    }
    // OpenAPI 3.1: Swagger UI draws schemas with its JSON Schema 2020-12 components.
    const schemas = Object.keys(doc.components?.schemas || {});
    const schemaTitle = ".models article[data-json-schema-level='0'] > .json-schema-2020-12-head .json-schema-2020-12__title";
    const shown = await page.$$eval(schemaTitle, (nodes) => nodes.map((n) => n.textContent.trim()));
    const missing = schemas.filter((s) => !shown.includes(s));
    check(missing.length === 0, `${schemas.length} component schemas listed${missing.length ? ` (missing: ${missing.join(", ")})` : ""}`);
    // One schema opened: every property of the first object schema drawn.
    const [name, schema] = Object.entries(doc.components.schemas).find(([, s]) => s.properties);
    const article = (await page.$$(".models article[data-json-schema-level='0']"))[shown.indexOf(name)];
    if (article) {
      await (await article.$(".json-schema-2020-12-accordion")).click();
      const properties = await article.$$eval(".json-schema-2020-12-property .json-schema-2020-12__title", (nodes) => nodes.map((n) => n.textContent.trim()));
      const absent = Object.keys(schema.properties).filter((p) => !properties.includes(p));
      check(absent.length === 0, `schema ${name} opened: its ${Object.keys(schema.properties).length} properties drawn${absent.length ? ` (missing: ${absent.join(", ")})` : ""}`);
    }

    // Try it: the bearer token through the Authorize dialog, the brand and
    // the ambassador in the operation's form, then Execute.
    await page.click("button.authorize");
    await page.waitForSelector(".auth-container input", { timeout: 10000 });
    await page.type(".auth-container input", token);
    await page.click(".auth-btn-wrapper button.authorize");
    await page.click(".auth-btn-wrapper button.btn-done");
    const [path, item] = Object.entries(doc.paths)[0];
    const block = `.opblock-get:has(.opblock-summary-path[data-path=${cssString(path)}])`;
    const fill = async (name, value) => {
      const input = `${block} tr[data-param-name=${cssString(name)}] input`;
      await page.click(input, { clickCount: 3 });
      await page.type(input, value);
    };
    await fill("ambassador", ambassador);
    await fill("X-Popsell-Brand", brand);
    await fill("per_page", "2");
    const execute = `${block} button.execute`;
    check(!!(await page.$(execute)), `"Execute" (try it) offered for GET ${path}`);
    await page.click(execute);
    const status = await page.waitForSelector(`${block} .live-responses-table tr.response .response-col_status`, { timeout: 20000 });
    const code = (await status.evaluate((n) => n.textContent)).trim();
    check(code === "200", `try it answered ${code} (expected 200)`);
    const body = await page.$eval(`${block} .live-responses-table tr.response .response-col_description pre`, (n) => n.textContent);
    let page1 = null;
    try { page1 = JSON.parse(body); } catch (_) {}
    check(page1 !== null && Array.isArray(page1.data) && page1.data.length === 2 && page1.total >= 2, `the page shows the answer: 2 chatrooms of ${page1?.total} (per_page=2)`);
    const call = sent.find((r) => r.url().includes(`/ambassadors/${ambassador}/chatrooms`));
    check(!!call && call.url().startsWith(`${base}/api/v2/`), `try it sent to this server: ${call ? call.method() + " " + call.url() : "nothing sent"}`);
    const headers = call ? call.headers() : {};
    check(headers["authorization"] === `Bearer ${token}`, "the token typed in Authorize was sent as the bearer");
    check(headers["x-popsell-brand"] === brand, "the brand typed in the form was sent as X-Popsell-Brand");

    // The whole page, and the operation alone (its form, Execute and the answer).
    await page.screenshot({ path: screenshot, fullPage: true });
    const operationShot = screenshot.replace(/\.png$/, "-operation.png");
    await (await page.$(block)).screenshot({ path: operationShot });
    console.log(`screenshots: ${screenshot}, ${operationShot}`);
    check(left.length === 0, `no request left the loopback address${left.length ? `: ${left.join(", ")}` : ""}`);
  } finally {
    await browser.close();
  }
}

main().then(
  () => {
    if (failures.length) {
      console.error(`docs page: ${failures.length} check(s) failed`);
      process.exit(1);
    }
  },
  (error) => {
    console.error(`docs page: ${error.stack || error}`);
    process.exit(2);
  },
);
