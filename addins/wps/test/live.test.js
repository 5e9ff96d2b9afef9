// The add-in against a real `perfxl serve`: tests/test_wps_addin.py starts the service,
// writes a sheet (a seed's 自评表, a county 监控表; as Range.Value2 gives it) to a JSON file and
// runs this file with PERFXL_TEST_URL and PERFXL_TEST_SHEET set; without them it skips.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const fake = require("./fake_et.js");
const check = require("../js/check.js");
const client = require("../js/client.js");
const colors = require("../js/colors.js");
const a1 = require("../js/a1.js");

const URL_ = process.env.PERFXL_TEST_URL;
const SHEET = process.env.PERFXL_TEST_SHEET;
const skip = URL_ && SHEET ? false : "needs a running perfxl serve (run by tests/test_wps_addin.py)";

test("a table placed at C5: the real service's marks land 4 rows down, 2 columns right", { skip }, async () => {
  const data = JSON.parse(fs.readFileSync(SHEET, "utf8"));
  // What the service marks for the same table at A1, asked as the add-in page would
  // (origin "null": a file:// page), so the CORS answer is checked too.
  const direct = await fetch(`${URL_}/api/check-sheet`, {
    method: "POST",
    headers: { "Content-Type": "text/plain;charset=UTF-8", Origin: "null" },
    body: JSON.stringify({ sheet: data.sheet, top_left: "A1", cells: data.cells, profile: data.profile }),
  });
  assert.equal(direct.status, 200);
  assert.equal(direct.headers.get("access-control-allow-origin"), "null");
  const atA1 = await direct.json();
  assert.ok(atA1.marks.length > 0, "the seed has findings to mark");

  const book = new fake.Workbook([data.sheet]);
  const sheet = book.sheet(data.sheet).put("C5", data.cells);
  const app = new fake.Application(book);
  const before = fake.snapshot(book);
  const settings = { server: URL_, profile: data.profile, token: "", timeoutSeconds: 60 };
  const result = await check.checkSheet({ app, http: client.fetchHttp(fetch), settings });
  assert.equal(result.ok, true, result.message);
  // a 自评表's 总分/等级, or the line a 监控表 gets (data.summary, worked out by hand)
  const expected = data.summary || `总分 ${data.total}，等级 ${data.grade}`;
  assert.ok(result.message.includes(expected), result.message);
  assert.equal(result.marked, atA1.marks.length);
  for (const mark of atA1.marks) {
    const at = a1.parse(mark.cell);
    const cell = sheet.Range(a1.address(at.row + 4, at.col + 2));
    const expected = mark.color ? colors.hexToBgr(mark.color) : fake.WHITE;
    assert.equal(cell.Interior.Color, expected, mark.cell);
    assert.equal(cell.Comment.Text(), mark.note, mark.cell);
  }
  const cleared = await check.clearMarks({ app });
  assert.equal(cleared.restored, atA1.marks.length);
  assert.deepEqual(fake.snapshot(book), before);
});
